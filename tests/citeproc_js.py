"""citeproc-js (npm `citeproc`, installed by tests/install-tools.sh) as a reference engine."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import citeproc

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "js" / "render.js"
LOCALE = Path(os.path.dirname(citeproc.__file__)) / "data" / "locales" / "locales-en-US.xml"


def render_js(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run citeproc-js over many requests in one node process; fails loudly if it is missing."""
    node = shutil.which("node")
    assert node, "node is not installed (run tests/install-tools.sh)"
    assert (HERE / "js" / "node_modules" / "citeproc").is_dir(), "citeproc-js is missing: run tests/install-tools.sh"
    payload = json.dumps({"locale": LOCALE.read_text(encoding="utf-8"), "requests": requests})
    result = subprocess.run([node, str(SCRIPT)], input=payload, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    answers: list[dict[str, Any]] = json.loads(result.stdout)
    return answers


def normalize_html(text: str) -> str:
    """citeproc-js and citeproc-py escape the same characters differently (&#38; vs &amp;)."""
    return html.escape(html.unescape(text), quote=False)

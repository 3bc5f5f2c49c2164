"""The benchmark still runs, and its own checks pass: a small run of archcite's rows.

Nothing here is timed (speed is the benchmark's to measure, by hand); this only keeps
``benchmarks/run.py`` working as the code under it changes.  The peers (citeproc-js,
pandoc, stock citeproc-py) and the memory test are left out: they make the run minutes long.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

N = 60


def test_a_small_benchmark_run_measures_every_archcite_row_and_its_checks_pass(tmp_path: Path) -> None:
    report = tmp_path / "rows.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--n", str(N), "--no-peers", "--no-memory",
               "--cite-up-to", str(N), "--json", str(report)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]

    data = json.loads(report.read_text(encoding="utf-8"))
    rows = {row["operation"]: row for row in data["rows"]}
    expected = {
        "import record texts, load() each",
        "import record texts, load_many()",
        "read record files (YAML)",
        "export csl-json",
        "export bibtex",
        "export biblatex",
        *(f"{label}: {call}" for label in ("Chicago full notes", "Chicago bibliography", "MLA works cited")
          for call in ("cite()", "render()")),
        "archcite cite wcda-114978:p19-20 (process, record cached)",
        "archcite cite wcda-114978:p19-20 (process, ARCHCITE_NO_CACHE=1)",
        f"archcite import of {N} record texts (process, files written)",
    }
    assert expected <= set(rows), sorted(expected - set(rows))
    for name in expected:
        row = rows[name]
        assert row["seconds"] > 0 and row["items_per_second"] > 0, row
    # A failed step is reported as a note, not a row: there must be none.
    assert not [note for note in data["notes"] if "FAILED" in note or "failed" in note]
    # The generated documents survive the trip through record texts and record files.
    for trip in ("import (load())", "import (load_many())"):
        assert f"N={N}: round trip generate -> record text -> {trip}: {N} of {N} documents identical" in data["notes"]
    assert f"N={N}: record files read back: {N} of {N} documents identical" in data["notes"]

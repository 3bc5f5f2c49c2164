"""archcite.render: citeproc-py with its gaps closed, checked step by step and against citeproc-js."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from archcite.errors import FormatError
from archcite.render import load_style, render, style_names, styles_folder
from citeproc_js import normalize_html, render_js

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "schemas" / "csl" / "csl.rnc"
ORDINARY = json.loads((ROOT / "tests" / "data" / "ordinary_items.json").read_text(encoding="utf-8"))


# --- the styles ---------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((ROOT / "styles").glob("*.csl")), ids=lambda p: p.name)
def test_styles_are_valid_csl_1_0_2(path: Path) -> None:
    jing = shutil.which("jing")
    assert jing, "jing is not installed (run tests/install-tools.sh)"
    result = subprocess.run([jing, "-c", str(SCHEMA), str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_style_lookup() -> None:
    assert style_names() == ["chicago-notes-archival", "mla-archival"]
    assert styles_folder().is_dir()
    with pytest.raises(FormatError, match="unknown style 'nope'"):
        load_style("nope")
    with pytest.raises(FormatError, match="not well-formed XML"):
        render("<style", ORDINARY)
    with pytest.raises(FormatError, match="not a CSL style"):
        render("<html/>", ORDINARY)


# --- corrections, through render ---------------------------------------------------


def test_label_is_silent_for_an_empty_variable() -> None:
    item = {"id": "x", "type": "chapter", "title": "T", "container-title": "B", "issued": {"date-parts": [[2000]]}}
    assert render("mla-archival", [item], markup="text") == ["“T.” B, 2000."]


def test_hyphenated_name_variables_are_rendered() -> None:
    item = {
        "id": "x", "type": "document", "title": "T", "issued": {"date-parts": [[1960]]},
        "original-author": [{"family": "Tkachenko", "given": "V. P."}], "original-title": "K",
    }  # fmt: skip
    assert "in V. P. Tkachenko, K" in render("chicago-notes-archival", [item], mode="citation", markup="text")[0]


def test_bibliography_ignores_citation_locators() -> None:
    book = ORDINARY[0]
    render("chicago-notes-archival", [book], [[{"id": book["id"], "locator": "99"}]], mode="citation")
    assert "99" not in render("chicago-notes-archival", [book], mode="bibliography", markup="text")[0]


# --- the same text as citeproc-js --------------------------------------------------------


def _clusters(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    firsts = [[{"id": i["id"]}] for i in items]
    with_locators = [[{"id": i["id"], "locator": "12-14", "label": "page"}] for i in items]
    return firsts + with_locators


def compare_with_citeproc_js(items: list[dict[str, Any]], styles: list[str]) -> list[str]:
    """Every difference between archcite and citeproc-js for these items, bibliography order
    included, as readable lines."""
    requests = [
        {"style": load_style(s), "items": items, "format": f, "bibliography": True, "citations": _clusters(items)}
        for s in styles
        for f in ("text", "html")
    ]
    answers = render_js(requests)
    differences = []
    for request, answer, (style, markup) in zip(requests, answers, [(s, f) for s in styles for f in ("text", "html")]):
        assert not answer["warnings"], answer["warnings"]
        ours = render(style, items, mode="bibliography", markup=markup) + render(
            style, items, request["citations"], mode="citation", markup=markup
        )
        theirs = answer["bibliography"] + answer["citations"]
        same = normalize_html if markup == "html" else str
        for a, b in zip(ours, theirs, strict=True):
            if same(a) != same(b):
                differences.append(f"{style} {markup}\n  archcite:    {a}\n  citeproc-js: {b}")
    return differences


def test_ordinary_items_render_as_in_citeproc_js() -> None:
    assert compare_with_citeproc_js(ORDINARY, style_names()) == []


def test_chicago_et_al_for_four_names_in_notes_and_eleven_in_the_bibliography() -> None:
    """CMOS 14.76: four or more names in a note give the first and "et al."; eleven or more in
    the bibliography give the first seven and "et al."; fewer are all printed.  As citeproc-js
    prints them."""

    def item(count: int) -> dict[str, Any]:
        names = [{"family": f"Family{i}", "given": f"Given{i}"} for i in range(1, count + 1)]
        return {"id": f"x{count}", "type": "document", "title": f"T{count}", "issued": {"date-parts": [[1960]]},
                "original-author": names, "original-title": "K", "translator": names}  # fmt: skip

    items = [item(3), item(4), item(10), item(11)]
    assert compare_with_citeproc_js(items, ["chicago-notes-archival"]) == []
    notes = render("chicago-notes-archival", items, [[{"id": i["id"]}] for i in items], mode="citation", markup="text")
    assert "in Given1 Family1, Given2 Family2, and Given3 Family3, K" in notes[0]
    assert all("in Given1 Family1 et al., K" in note and "trans. Given1 Family1 et al." in note for note in notes[1:])
    entries = {entry.split("“T")[1].split(".")[0]: entry for entry in render("chicago-notes-archival", items, mode="bibliography", markup="text")}
    assert sorted(entries) == ["10", "11", "3", "4"]
    seven = ", ".join(f"Given{i} Family{i}" for i in range(1, 8))
    assert f"In {seven}, et al., K." in entries["11"]
    assert "Given10 Family10" in entries["10"] and "et al." not in entries["10"]

"""Hostile and broken input: nothing crashes, nothing hangs, nothing is written outside the records folder.

Every file in tests/bad_inputs/ is listed in tests/bad_inputs/expected.lines with what
importing it must give: one located error (``path:line: message``), or, for the few a
format reads leniently, the safe record id it becomes.  Each file goes through both
entry points, ``format_for_path(path).load`` and ``archcite import``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from archcite.cli import main
from archcite.errors import ArchciteError
from archcite.files import read_text
from archcite.formats import format_for_path

BAD = Path(__file__).parent / "bad_inputs"
EXPECTED = BAD / "expected.lines"
SECONDS = 2.0
# A YAML tag that would run this if records were loaded unsafely (yaml_python_object_apply.yaml).
PWNED = Path("/tmp/archcite-pwned")


@dataclass(frozen=True)
class Case:
    name: str
    line: int | None = None  # the error's line; None when the error has no line
    message: str | None = None  # a substring of the error; None when the file is read
    record_id: str | None = None  # the id a leniently read file becomes


def _cases() -> list[Case]:
    cases = []
    for row in EXPECTED.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        if " => " in row:
            name, record_id = row.split(" => ")
            cases.append(Case(name, record_id=record_id))
        else:
            name, line, message = row.split(":", 2)
            cases.append(Case(name, None if line == "-" else int(line), message.strip()))
    return cases


CASES = _cases()


def test_every_file_has_an_expectation() -> None:
    files = {p.name for p in BAD.iterdir() if p.name != EXPECTED.name}
    assert files == {c.name for c in CASES}
    assert sum(c.message is not None for c in CASES) >= 60


def _timed(call: Callable[[], object]) -> object:
    start = time.perf_counter()
    try:
        return call()
    finally:
        elapsed = time.perf_counter() - start
        assert elapsed < SECONDS, f"took {elapsed:.2f} s"


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _check(case: Case, source: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both entry points on one file; ``root`` is the tmp tree (the working directory)."""
    records = root / "records"

    # The library: format_for_path(path).load, reading included.
    def load() -> object:
        return format_for_path(source).load(read_text(source), str(source))

    if case.message is None:
        documents = _timed(load)
        assert [d.id for d in documents] == [case.record_id]  # type: ignore[attr-defined]
    else:
        with pytest.raises(ArchciteError) as caught:  # anything else fails the test
            _timed(load)
        where = f"{source}:{case.line}: " if case.line is not None else f"{source}: "
        assert str(caught.value).startswith(where), str(caught.value)
        assert case.message in str(caught.value)
        assert "\n" not in str(caught.value)

    # The command line.
    capsys.readouterr()
    code = _timed(lambda: main(["import", str(source), "--records", str(records)]))
    out, err = capsys.readouterr()
    if case.message is None:
        assert code == 0, err
        assert _tree(root) - {source.name} <= {"records", f"records/{case.record_id}.yaml", "records/record.schema.json"}
        assert (records / f"{case.record_id}.yaml").is_file()
    else:
        assert code == 1
        error = err.strip().splitlines()
        assert len(error) == 1 and error[0].startswith(f"archcite: {where}") and case.message in error[0], err
        assert out == ""
        # Nothing written: not in the records folder, not beside it.
        assert _tree(root) <= {source.name}
    assert not PWNED.exists()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # a stray relative write would land in the tree checked
    _check(case, BAD / case.name, tmp_path, capsys)


# 50 MB of each format, generated here rather than committed.  Each is refused
# quickly: by a size limit, or (JSON, whose parser is fast C) at its first fault.
_MB = 50 * 1024 * 1024


def _big_text(seed_text: str) -> str:
    line = "Kim Il Sung. " + "x" * 200 + "\n\n"
    return seed_text + line * (_MB // len(line))


BIG: dict[str, tuple[Callable[[str], str], str]] = {
    "txt": (_big_text, "too long for one record text"),
    "yaml": (lambda _: "id: wcda-1\ntitle: x\nsummary: |\n" + ("  " + "y" * 100 + "\n") * (_MB // 103 + 1), "too long for one record file"),
    "json": (lambda _: '[{"id": "wcda-1", "type": "document", "title": "' + "x" * _MB, "Unterminated string"),
    "bib": (lambda _: "@misc{wcda-1,\n  title = {" + "x, " * (_MB // 3 + 1), "too large to read at once"),
}


@pytest.mark.parametrize("suffix", sorted(BIG))
def test_50_mb_file(
    suffix: str, seed_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make, message = BIG[suffix]
    source = tmp_path / f"big.{suffix}"
    source.write_text(make(seed_text), encoding="utf-8")
    assert source.stat().st_size >= _MB
    monkeypatch.chdir(tmp_path)
    line = 1 if suffix == "json" else None
    _check(Case(source.name, line, message), source, tmp_path, capsys)


# --- injection: text that tries to leave its place in the output --------------------
# BibTeX/BibLaTeX fields ("}", "\input{/etc/passwd}", "@comment{", "%", "#", newlines in
# titles and names) are covered by tests/test_bibtex.py::test_hostile_text_stays_in_its_field.

SCRIPT = "<script>alert(1)</script>"


def _hostile_item():  # type: ignore[no-untyped-def]
    from archcite.formats import Item
    from archcite.models import Document

    return Item(
        Document(
            id="hostile",
            title=f"Evil {SCRIPT} \\par {{\\b bold}} Ким",
            date="1961-03",
            translation={"language": "en", "translators": [{"name": "Gary <img src=x onerror=alert(1)>"}]},
            repository={"name": f"Archive {SCRIPT}", "url": "https://example.org/a?x=<script>"},
        )
    )


@pytest.mark.parametrize("form", ["chicago-note", "chicago-short-note", "chicago-bibliography", "mla", "mla-in-text"])
def test_html_citations_escape_markup(form: str) -> None:
    from archcite.cite import cite

    html = cite([_hostile_item()], form, "html")[0]
    assert "<script" not in html and "<img" not in html
    assert "&#60;script&#62;" in html or "&lt;script&gt;" in html


# Markdown a title could carry into a pandoc manuscript: raw HTML, an autolink, inline and
# reference links, an image, a span, pandoc citations and an inline note, sub- and
# superscripts, math, a table cell, entities and a code span; and a bracketed translation,
# which must stay as readable as it is in the golden files.
MARKDOWN_HOSTILE = (
    f"{SCRIPT} [x](http://e.vil) <http://e.vil> ![i](http://e.vil/i.png) [a][b] [s]{{.c}} "
    "@doe99 [see @doe99] ^[note] H~2~O x^2^ $x$ a|b &lt;b&gt; &#60;i&#62; `code` \\[y](z) "
    "[The Korean Peninsula] _u_ *e*"
)


@pytest.mark.parametrize("reader", ["markdown-smart", "commonmark"])
@pytest.mark.parametrize("form", ["chicago-note", "chicago-short-note", "chicago-bibliography", "mla", "mla-in-text"])
def test_markdown_citations_render_as_literal_text(form: str, reader: str) -> None:
    """pandoc renders the Markdown citation as the very text of the plain-text citation:
    nothing in a title becomes a tag, a link, a citation or a note."""
    import html as html_lib
    import subprocess

    import pypandoc

    from archcite.cite import cite
    from archcite.formats import Item
    from archcite.models import Document

    document = Document(id="hostile", title=MARKDOWN_HOSTILE, date="1961-03", repository={"name": "Archive [a](b)"})
    markdown = cite([Item(document)], form, "markdown")[0]
    rendered = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", reader, "-t", "html", "--wrap=none"],
        input=markdown, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    # The only tags left are the paragraph's and the italics of the style.
    assert re.findall(r"<(?!/?(?:p|em)>)[^>]*>", rendered) == [], rendered
    text = cite([Item(document)], form, "text")[0]
    assert html_lib.unescape(re.sub(r"</?(?:p|em)>", "", rendered)) == text
    # Brackets that open nothing are left as they are (short forms cut the title before them).
    assert ("[The Korean Peninsula] " in markdown) == ("[The Korean Peninsula] " in text)


def test_markdown_escapes_what_starts_a_block() -> None:
    from archcite.markup import to_markdown

    for line, escaped in [("# Heading", "\\# Heading"), ("> Quote", "\\> Quote"), ("- Item", "\\- Item"),
                          ("12. Item", "12\\. Item"), ("[ref]: http://e.vil", "\\[ref\\]: http://e.vil")]:
        assert to_markdown(f"Title\n{line}") == f"Title\n{escaped}"
        assert to_markdown(line) == escaped


def test_rtf_citations_escape_backslash_braces_and_non_ascii() -> None:
    from archcite.cite import cite

    rtf = cite([_hostile_item()], "chicago-note", "rtf")[0]
    assert rtf.isascii()  # non-ASCII as \uN escapes
    assert "\\u1050" in rtf  # К
    assert "\\\\par \\{\\\\b bold\\}" in rtf  # the title's backslash and braces are text
    depth = 0
    for char in re.sub(r"\\[\\{}]", "", rtf):  # unescaped braces balance: no group is broken open
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_yaml_is_only_loaded_safely() -> None:
    """Two YAML readers in the package, neither of which builds objects: ruamel's round-trip
    loader, and libyaml's parser through PyYAML's CBaseLoader, which here only composes
    nodes (yaml_record.fast_data turns them into text, lists and maps itself)."""
    package = Path(__file__).resolve().parents[1] / "archcite"
    loaders = [
        f"{path.name}: {line.strip()}"
        for path in package.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"YAML\(|yaml\.(load|unsafe_load|full_load)\(|import yaml\b|Loader\b", line)
    ]
    assert loaders == [
        'yaml_record.py: yaml = YAML(typ="rt")',
        "yaml_record.py: import yaml",
        "yaml_record.py: from yaml import CBaseLoader",
        "yaml_record.py: class Loader(CBaseLoader):",
        "yaml_record.py: return Loader",
    ]

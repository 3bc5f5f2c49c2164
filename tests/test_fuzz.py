"""Fuzzing every reader: mutated record texts, random and mutated YAML, CSL-JSON and BibTeX.

Whatever the input, a reader returns valid Documents or raises archcite's own
error, located in the file and on one line; it never crashes with another
exception.  A Document it returns has a safe id and survives the trip through
a record file.  The normal suite runs a bounded number of examples per test;
``ARCHCITE_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py`` runs a long campaign
(see tests/README.md).  A crash found here becomes a file in tests/bad_inputs/.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from archcite.errors import ArchciteError
from archcite.formats import Item, bibtex, biblatex, csl_json, record_text, yaml_record
from archcite.formats import ExportOptions
from archcite.ids import RECORD_ID
from archcite.models import Document

from conftest import SEED

# Examples per test; each test costs at most a few milliseconds an example, so
# the module stays within about 30 s at the default.
EXAMPLES = int(os.environ.get("ARCHCITE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    # The long run is a search for crashes; the CI run should be the same every time.
    derandomize=EXAMPLES <= 1000,
    # Shrinking a mutated 60 kB file takes minutes; the failing example is printed as found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
PATH = "fuzzed"
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_DOCUMENT = record_text.load(SEED_TEXT, str(SEED))

# What breaks readers: brackets and braces, section headings, page markers, impossible
# dates, escapes, control and invisible characters, scripts other than Latin.
HOSTILE = [
    "[", "]", "[[", "]]", "{", "}", "{{", "}}", "\\", "\"", "'", "“", "”", "#", "%", "@", "&", "<", ">", ":", ",",
    "\n", "\n\n", "\r\n", "\t", "\x00", "\x07", "\x1b", "\ufeff", "\u200b", "\u2028", "…",
    "[19-20]", "[20-19]", "[19-", "[...]", "[…]", "Citation:\n", "Summary:\n", "Credits:\n", "Original Language:\n",
    "Contents:\n", "Translation - English\n", "31 February 1961", "19600", "June 17, 1960", "1961-02-31",
    "Kim Il Sung. ", "[Pak Seong-cheol] ", "N. S. Khrushchev [Хрущёв]. ", "<https://digitalarchive.umd.edu/document/",
    "https://digitalarchive.wilsoncenter.org/document/../../etc/passwd", "Translated for NKIDP by ",
    "@string{a = a}", "@comment{", "\\input{/etc/passwd}", "&a", "*a", "!!python/object:os.system", "---\n",
    "\"\\ud800\"", "1e999", "9" * 30, "김일성", "毛泽东", "Ø",
]  # fmt: skip
fragment = st.sampled_from(HOSTILE) | st.text(st.characters(exclude_categories=("Cs",)), max_size=6)


@st.composite
def mutated(draw: st.DrawFn, text: str, max_edits: int = 6) -> str:
    """``text`` with a few random edits: deletions, insertions, duplications, truncation."""
    for _ in range(draw(st.integers(1, max_edits))):
        start = draw(st.integers(0, len(text)))
        end = min(len(text), start + draw(st.integers(0, 200)))
        edit = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
        if edit == "delete":
            text = text[:start] + text[end:]
        elif edit == "insert":
            text = text[:start] + draw(fragment) + text[start:]
        elif edit == "replace":
            text = text[:start] + draw(fragment) + text[end:]
        elif edit == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start]
    return text


def _check(read: Callable[[], list[Document]]) -> None:
    """The one property: documents that make safe records, or one located archcite error."""
    try:
        documents = read()
    except ArchciteError as exc:  # anything else is a crash, and fails the test
        message = str(exc)
        assert message.startswith(f"{PATH}:") or message.startswith(f"{PATH} "), message
        assert "\n" not in message, message
        return
    for document in documents:
        assert RECORD_ID.match(document.id)
        # A document read from anywhere can be stored and read back unchanged.
        back = yaml_record.load(yaml_record.dump_document(document), PATH)
        changed = {k: (v, back.model_dump()[k]) for k, v in document.model_dump().items() if back.model_dump()[k] != v}
        assert back == document, repr(changed)[:2000]


@FUZZ
@given(mutated(SEED_TEXT))
def test_mutated_record_text(text: str) -> None:
    _check(lambda: record_text.load_documents(text, PATH))


SEED_YAML = yaml_record.dump_document(SEED_DOCUMENT)


@FUZZ
@given(mutated(SEED_YAML))
def test_mutated_record_file(text: str) -> None:
    _check(lambda: yaml_record.load_documents(text, PATH))


# --- the fast YAML reader (libyaml) reads what ruamel reads, or leaves the text to ruamel ---


def _typed(value: Any) -> Any:
    """``value`` with every scalar's type spelt out: True == 1 must not pass for equal."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _reads_as_ruamel(text: str) -> None:
    fast = yaml_record.fast_data(text)
    try:
        slow = yaml_record._plain(yaml_record.parse(text, PATH))
    except ArchciteError:
        assert fast is None, "the fast reader read a file ruamel refuses"
        return
    if fast is not None:
        assert _typed(fast) == _typed(slow)


# YAML's own syntax, for texts that take the parsers down their rarer paths.
YAML_BITS = [
    "a: ", "b:\n", "- ", "  ", "    ", "\n", "\r\n", "\t", "? ", ": ", "#c", " #c", "|", "|-", "|+", ">", ">-", "|2",
    "'", "''", "\"", "\\", "\\n", "[", "]", "{", "}", ", ", "&x ", "*x", "!!str ", "!t ", "! ", "<<: ", "%YAML 1.1\n",
    "---\n", "...\n", "yes", "no", "on", "~", "null", "true", "False", "0o7", "0x1F", "012", "1_000", "1:30", "1e3",
    ".5", ".inf", "2001-01-01", "2001-02-30", "2001-1-1 1:00:00", "=", "x", "text", "é", "\x85", "\u2028", "\ufeff",
]  # fmt: skip


@FUZZ
@given(mutated(SEED_YAML))
def test_fast_yaml_reader_on_mutated_record_files(text: str) -> None:
    _reads_as_ruamel(text)


@FUZZ
@given(st.lists(st.sampled_from(YAML_BITS) | fragment, max_size=40).map("".join))
def test_fast_yaml_reader_on_yaml_syntax(text: str) -> None:
    _reads_as_ruamel(text)


def test_fast_yaml_reader_on_block_scalar_headers_with_a_comment() -> None:
    """libyaml takes a "#" right after a block scalar's header for a comment; ruamel refuses
    the file (found by test_fast_yaml_reader_on_mutated_record_files at 3,000 examples)."""
    for text in ["># yaml-language-server: $sch", "a: >#\n  x\n", "a: |-#\n  x\n", "a: >2#\n  x\n", "a: > #c\n  x\n"]:
        _reads_as_ruamel(text)
    assert yaml_record.fast_data("a: > #c\n  x\n") == {"a": "x\n"}  # with the space, a comment to both


# Plain scalars as the fast reader resolves them (yaml_record._plain_kind), against ruamel's
# own resolver for YAML 1.2: every kind the fast reader keeps must be ruamel's kind, and
# every other kind must make it give up.  Built from the characters numbers, times and
# YAML's special words are made of, so that most values come close to one of them.
SCALAR_BITS = [
    *"0123456789", "0", "1", "-", "+", ".", "_", ":", "e", "E", "x", "o", "b", "T", "t", "Z", " ", "\t", "\n",
    "0x", "0o", "0b", "1f", "1960", "-06", "-17", "2001-01-01", "2001-1-1", " 1:00:00", "T10:20:30", ".123", "+05",
    "-5:30", "inf", "Inf", "INF", "nan", "NaN", "NAN", "true", "True", "TRUE", "false", "False", "FALSE", "null",
    "Null", "NULL", "~", "<<", "=", "!", "&", "*", "yes", "no", "on", "off", "y", "n", "a", "é", "19-20",
]  # fmt: skip


def _ruamel_kind(value: str) -> str:
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    tag = str(VersionedResolver(version=(1, 2)).resolve(ScalarNode, value, (True, False)))
    kind = tag.rpartition(":")[2]
    if kind == "int":
        return yaml_record._INT if yaml_record._PLAIN_INT.fullmatch(value) else yaml_record._OTHER
    if kind == "timestamp":
        return yaml_record._DATE if yaml_record._PLAIN_DATE.fullmatch(value) else yaml_record._OTHER
    kinds = {"str": yaml_record._STR, "null": yaml_record._NULL, "bool": yaml_record._BOOL}
    return kinds.get(kind, yaml_record._OTHER)


@FUZZ
@given(st.lists(st.sampled_from(SCALAR_BITS), max_size=8).map("".join))
def test_plain_scalars_resolve_as_ruamel_resolves_them(value: str) -> None:
    ours = yaml_record._plain_kind(value)
    if value.endswith("\n"):
        assert ours == yaml_record._OTHER  # no plain scalar ends so; if one did, ruamel decides
    else:
        assert ours == _ruamel_kind(value), value


def test_plain_scalar_kinds() -> None:
    """The kinds that matter most, spelt out."""
    expected = {
        "text": "str", "19-20": "str", "1960s": "str", "-": "str", "2001-1-1": "str", "0o": "str", "yes": "str",
        "No": "str", "on": "str", "1:30": "str", "_1": "str", ".": "str", "nulls": "str",
        "": "null", "~": "null", "null": "null", "NULL": "null", "true": "bool", "False": "bool",
        "1": "int", "1960": "int", "2001-01-01": "date",
        "0": "other", "-1": "other", "1_000": "other", "0x1F": "other", "0o7": "other", "012": "other", "1e3": "other",
        "1.": "other", ".5": "other", "-.inf": "other", ".NaN": "other", "-_": "other", "<<": "other", "=": "other",
        "2001-1-1 1:00:00": "other", "2001-01-01T10:20:30.5Z": "other", "2001-01-01 10:20:30 -5": "other",
    }  # fmt: skip
    for value, kind in expected.items():
        assert yaml_record._plain_kind(value) == f"archcite:{kind}", value
        assert _ruamel_kind(value) == f"archcite:{kind}", value


# Random trees with the keys records and CSL items have, so that the readers get past
# "not a mapping" and meet wrong types, missing parts and strange values inside.
KEYS = [
    "id", "title", "date", "summary", "genre", "original_language", "translation", "original_publication",
    "archival_source", "repository", "funding", "people", "excerpts", "citation", "name", "family", "given",
    "variants", "code", "language", "translators", "pages", "speakers", "text", "url", "type", "issued",
    "date-parts", "circa", "translator", "container-title", "custom", "parent", "archive", "page", "note",
]  # fmt: skip
scalar = (
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=False)
    | st.sampled_from(["wcda-1", "1960-06-17", "1961-02-31", "19600", "en", "ru", "p19-20", "../../etc/passwd", ""])
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
)  # fmt: skip
tree = st.recursive(
    scalar,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), children, max_size=6),
    max_leaves=30,
)


def _document_like(value: Any) -> Any:
    """Most trees get an id and a title, so that validation goes deeper than the first field."""
    if isinstance(value, dict):
        value.setdefault("id", "wcda-1")
        value.setdefault("title", "A record")
    return value


@FUZZ
@given(tree.map(_document_like))
def test_random_record_file(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)  # JSON is YAML: flow style
    _check(lambda: yaml_record.load_documents(text, PATH))


@FUZZ
@given(tree)
def test_fast_yaml_reader_on_written_trees(value: Any) -> None:
    """Trees written as archcite writes record files (block style, literal blocks,
    quoted dates), and as JSON (flow style)."""
    stream = io.StringIO()
    yaml_record._yaml().dump(yaml_record._styled(value), stream)
    _reads_as_ruamel(stream.getvalue())
    _reads_as_ruamel(json.dumps(value, ensure_ascii=False))


@FUZZ
@given(st.lists(tree.map(_document_like), max_size=4))
def test_random_csl_json(items: list[Any]) -> None:
    for item in items:
        if isinstance(item, dict):
            item.setdefault("type", "document")
    text = json.dumps(items, ensure_ascii=False)
    _check(lambda: csl_json.load_documents(text, PATH))


SEED_ITEMS = [Item(SEED_DOCUMENT)] + [Item(SEED_DOCUMENT, e) for e in SEED_DOCUMENT.excerpts]
SEED_CSL = csl_json.dump(SEED_ITEMS, ExportOptions())


@FUZZ
@given(mutated(SEED_CSL))
def test_mutated_csl_json(text: str) -> None:
    _check(lambda: csl_json.load_documents(text, PATH))


SEED_BIBLATEX = biblatex.dump(SEED_ITEMS, ExportOptions())
SEED_BIBTEX = bibtex.dump(SEED_ITEMS, ExportOptions(ascii=True))


@FUZZ
@given(mutated(SEED_BIBLATEX))
def test_mutated_biblatex(text: str) -> None:
    _check(lambda: bibtex.load_documents(text, PATH))


@FUZZ
@given(mutated(SEED_BIBTEX))
def test_mutated_bibtex(text: str) -> None:
    _check(lambda: bibtex.load_documents(text, PATH))


@FUZZ
@given(st.lists(st.sampled_from(["@misc{", "@string{", "@comment{", "a", " = ", "{", "}", "\"", "#", ",", "\n", "wcda-1", "title", "year", "1960", "%"]) | fragment, max_size=40))
def test_random_bibtex_tokens(tokens: list[str]) -> None:
    text = "".join(tokens)
    _check(lambda: bibtex.load_documents(text, PATH))

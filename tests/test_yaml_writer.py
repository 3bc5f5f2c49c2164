"""The fast record-file writer (yaml_writer.fast_dump) writes ruamel's bytes, or gives up.

Identical files are the point: a record written by the fast writer must be the file
ruamel would have written, character for character, so that switching writers changes
no record and no diff.  Every test here compares the two; where the fast writer gives up,
ruamel writes the file and there is nothing to compare.  The give-up tests check it does
not give up on what records really hold.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archcite.errors import ArchciteError
from archcite.formats import record_text, yaml_record, yaml_writer
from archcite.models import Document

from conftest import ROOT
from strategies import WORDS, documents

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

# As in test_fuzz.py: ARCHCITE_FUZZ_EXAMPLES=20000 runs a long, random campaign.
EXAMPLES = int(os.environ.get("ARCHCITE_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], derandomize=EXAMPLES <= 1000
)


def _same_as_ruamel(data: dict[str, Any]) -> str | None:
    """The fast writer's text, after checking it is ruamel's; None when it gave up."""
    fast = yaml_writer.fast_dump(data)
    if fast is not None:
        assert fast == yaml_record._ruamel_dump(data)
    return fast


# --- text that takes the writers down their rarer paths ------------------------------

# Where ruamel's choice of style and its folding turn: indicators at the start, ": " and
# " #" inside, quotes, escapes, breaks YAML has besides "\n", invisible and non-BMP
# characters, values the YAML 1.2 resolver retypes.
HOSTILE = [
    " ", "  ", "   ", "'", '"', "''", "#", " #", "# ", ": ", ":", " :", "- ", "-", "? ", "?", "--- ", "---", "...",
    "\n", "\n\n", "\n ", " \n", "\r", "\r\n", "\t", "\xa0", "\ufeff", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f",
    "\u2028", "\u2029", "\ufffe", "\ud800", "\U0001f600", "\U00010000", "é", "Ж", "김", "毛", "\\", "@", "`", "|",
    ">", "%", "&", "*", "!", "[", "]", "{", "}", ",", "=", "<<", "~", "true", "True", "yes", "null", "Null", "1", "-1",
    "0x1F", "0o7", "1_000", ".5", "1e3", "1:30", ".inf", ".NaN", "1960-06-17", "2001-12-14t21:59:43.10-05:00",
]  # fmt: skip
hostile = st.sampled_from(HOSTILE)
# Words of every length up to past the width: a word that crosses the width moves to the
# next line in plain text and stays in single-quoted text.
word = (
    st.sampled_from(WORDS)
    | st.text(st.sampled_from("abcxyzABC019.-'"), min_size=1, max_size=12)
    | st.integers(1, 110).map(lambda n: "w" * n)
)
separator = st.sampled_from([" ", " ", " ", " ", "  ", "   ", "\n", "\n\n", " #", ": "]) | hostile
# Long runs of words and single spaces reach the width at every offset: plain text, and
# (with an indicator before or after) single-quoted text.
prose = st.lists(st.tuples(word, st.sampled_from([" "] * 8 + ["  ", "   "])).map("".join), min_size=1, max_size=60).map(
    lambda words: "".join(words).rstrip(" ")
)
folding_text = st.tuples(
    st.lists(hostile, max_size=2).map("".join),
    st.lists(st.tuples(word, separator).map("".join), min_size=1, max_size=60).map("".join),
    st.lists(hostile, max_size=2).map("".join),
).map("".join)
text = (
    prose
    | st.lists(prose | st.sampled_from(["", " x", "- x", "#", "x:"]), min_size=2, max_size=5).map("\n".join)  # literal blocks
    | folding_text
    | st.tuples(st.sampled_from(["#", "- ", "@", "'", "\n", ""]), prose, st.sampled_from([":", " ", "", "\n"])).map("".join)
    | st.lists(word | separator | hostile, max_size=30).map("".join)
    | st.text(st.characters(codec="utf-8"), max_size=40)
    | st.text(max_size=20)  # surrogates too
    | hostile
)

# Keys as records have them, and now and then one ruamel would quote or that is no text.
KEYS = ["id", "title", "date", "summary", "headnote", "text", "citation", "name", "variants", "code", "people", "excerpts",
        "a_field_name_long_enough_to_push_its_value_close_to_the_width_64"]  # fmt: skip
key = st.sampled_from(KEYS)
odd_key = st.sampled_from(["true", "null", "1", "a b", "#a", "", "é", "x" * 70]) | key
scalar = text | text | st.integers(-(10**6), 10**6) | st.booleans()


def _trees(leaves: st.SearchStrategy[Any], keys: st.SearchStrategy[str], least: int) -> st.SearchStrategy[Any]:
    def nest(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        mappings = st.dictionaries(keys, children, min_size=least, max_size=5)
        if least == 0:
            return st.lists(children, max_size=4) | mappings
        # No list directly in a list (the fast writer gives up on those): built so, not
        # filtered out, which discarded most of the trees drawn and left small ones (a
        # median of 4 leaves, against 13 now).
        return st.lists(leaves | mappings, min_size=1, max_size=4) | mappings

    return st.recursive(leaves, nest, max_leaves=25)


# One tree in twenty has what the fast writer gives up on: null, floats, huge ints, empty
# mappings and lists, lists in lists, odd keys; the others check the bytes it writes.
COMMON_TREES = _trees(scalar, key, 1)
RARE_TREES = _trees(scalar | st.sampled_from([None, 1.5, 10**20]), odd_key, 0)


@st.composite
def tree(draw: st.DrawFn) -> Any:
    return draw(RARE_TREES if draw(st.integers(0, 19)) == 7 else COMMON_TREES)  # 0 comes up more often


@SETTINGS
@given(st.dictionaries(key, tree(), min_size=1, max_size=6))
def test_fast_writer_writes_ruamels_bytes_for_trees(data: dict[str, Any]) -> None:
    _same_as_ruamel(data)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(KEYS), text), min_size=1, max_size=4), st.integers(0, 8))
def test_fast_writer_writes_ruamels_bytes_for_text(fields: list[tuple[str, str]], depth: int) -> None:
    """Text at every depth: under keys of mappings nested in sequences, so that folds and
    literal lines are written at every indentation."""
    value: Any = dict(fields)
    for level in range(depth):
        value = {"excerpts": [value, "x"]} if level % 2 else {"translation": value}
    data = {"id": "x", "list": [text for _, text in fields], **value}
    _same_as_ruamel(data)


@SETTINGS
@given(text)
def test_fast_writer_never_gives_up_on_text(value: str) -> None:
    data = {"summary": value, "people": [value, {"name": value}]}
    written = _same_as_ruamel(data)
    assert written is not None
    assert yaml_record.fast_data(written) == data or yaml_record._plain(yaml_record.parse(written)) == data


@SETTINGS
@given(documents())
def test_fast_writer_writes_ruamels_bytes_for_documents(document: Document) -> None:
    written = yaml_record.dump_document(document)
    assert written == yaml_record.HEADER + yaml_record._ruamel_dump(yaml_record.to_data(document))
    for excerpt in document.excerpts:
        _same_as_ruamel({"document": document.id, "document_title": document.title, **excerpt.model_dump(mode="json", exclude_defaults=True)})


# --- real records ----------------------------------------------------------------------


def _real_documents() -> list[tuple[str, Document]]:
    found = [(path.name, yaml_record.load(path.read_text(encoding="utf-8"), str(path))) for path in sorted((ROOT / "records").glob("*.yaml"))]
    for path in sorted((ROOT / "tests" / "record_texts").glob("*.txt")):
        found.extend((path.name, document) for document in record_text.load_documents(path.read_text(encoding="utf-8"), str(path)))
    for path in sorted((ROOT / "tests" / "bad_inputs").glob("*.yaml")):
        try:
            found.append((path.name, yaml_record.load(path.read_text(encoding="utf-8"), str(path))))
        except (ArchciteError, UnicodeDecodeError):
            pass  # refused: nothing to write
    return found


@pytest.mark.parametrize(("name", "document"), _real_documents(), ids=lambda value: value if isinstance(value, str) else "")
def test_real_records_are_written_by_the_fast_writer_as_ruamel_writes_them(name: str, document: Document) -> None:
    assert _same_as_ruamel(yaml_record.to_data(document)) is not None, f"{name}: the fast writer gave up"


def test_seed_record_is_written_as_ruamel_writes_it(seed: Document) -> None:
    assert _same_as_ruamel(yaml_record.to_data(seed)) is not None
    for excerpt in seed.excerpts:
        assert yaml_record.dump_excerpt(seed, excerpt) == yaml_record._ruamel_dump(
            {"document": seed.id, "document_title": seed.title, **excerpt.model_dump(mode="json", exclude_defaults=True)}
        )


def test_generated_documents_are_written_by_the_fast_writer() -> None:
    """The benchmark's documents stand for real imports: the fast writer takes all of
    them, and (for the first 150, ruamel being slow) writes ruamel's bytes."""
    documents = generate(1000, 1)
    gave_up = [d.id for d in documents if yaml_writer.fast_dump(yaml_record.to_data(d)) is None]
    assert not gave_up
    for document in documents[:150]:
        _same_as_ruamel(yaml_record.to_data(document))


@pytest.mark.parametrize("value", [True, 12345, "word", "#word", "two words", "x\ny", "a'b"])
def test_values_that_start_past_the_width(value: Any) -> None:
    """A long key deep down puts its value's first column past the width: ruamel then
    moves a plain value to the next line."""
    long_key = "k" * 60
    data: Any = {long_key: value}
    for _ in range(18):
        data = {"a": data}
    assert _same_as_ruamel(data) is not None


def test_fast_writer_gives_up_on_what_it_does_not_write() -> None:
    for data in ({"funding": {}}, {"people": []}, {"a": [[1]]}, {"a": None}, {"a": 1.5}, {"a b": 1}, {"null": 1},
                 {}, {"a": 10**20}):  # fmt: skip
        assert yaml_writer.fast_dump(data) is None, data
        yaml_record._ruamel_dump(data)  # still written, by ruamel


def test_text_that_reads_back_only_in_double_quotes() -> None:
    # DEL in a literal block, and two spaces where ruamel folds plain text: both read back
    # changed (or not at all) in the styles ruamel would otherwise have chosen.
    for value in ("x\n\x7fy", "a " * 31 + " " + "w" * 30):
        written = _same_as_ruamel({"a": value})
        assert written is not None and written.startswith('a: "')
        assert yaml_record._plain(yaml_record.parse(written)) == {"a": value}


@pytest.mark.parametrize(
    "value",
    ["1960-06-17", "0x1F", "0o17", ".5", "1e3", "+1", ".inf", "-.INF", ".NaN", "null", "~", "true", "False", "=", "<<",
     "2001-12-14t21:59:43.10-05:00", "2002-12-14", "yes", "on", "1:30", "012", "0b1", "1_000", "text", "1960-06-17 x"],
)  # fmt: skip
def test_plain_reads_as_non_string_agrees_with_ruamel(value: str) -> None:
    """ruamel writes a text plain only if its resolver reads it back as text."""
    written = yaml_record._ruamel_dump({"a": value})
    plain = written == f"a: {value}\n"
    assert plain == (not yaml_writer.plain_reads_as_non_string(value) and not yaml_writer._RETYPED.match(value)), written

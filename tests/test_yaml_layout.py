"""archcite.formats.yaml_layout reads what ruamel reads, or gives up (returns None).

ruamel's round-trip reader is the reference (``yaml_record.parse`` and ``_plain``, as
``yaml_record.load`` uses them when the fast readers give up): whatever text the layout
reader reads, ruamel must read to the same data; text ruamel refuses, it must give up on.
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from archcite.errors import RecordError
from archcite.formats import yaml_layout, yaml_record, yaml_writer
from archcite.models import Document

from conftest import ROOT
from strategies import documents
from test_yaml_writer import EXAMPLES, SETTINGS, key, text, tree

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402


# Writing and reading back whole documents and trees through ruamel is slow (about 0.1 s an
# example), and test_yaml_writer.py already puts the writer through such data: a third as many.
FEWER = settings(SETTINGS, max_examples=max(1, EXAMPLES // 3))


def _ruamel(text: str) -> Any:
    """What ruamel reads; RecordError when it refuses the text."""
    return yaml_record._plain(yaml_record.parse(text))


def _agrees(text: str) -> Any:
    """The layout reader's data, checked against ruamel's; None when it gave up."""
    data = yaml_layout.read(text)
    if data is not None:
        assert data == _ruamel(text), text
    return data


def test_the_shipped_records_are_read() -> None:
    paths = sorted((ROOT / "records").glob("*.yaml"))
    assert paths
    for path in paths:
        assert _agrees(path.read_text(encoding="utf-8")) is not None, path


@FEWER
@given(documents())
def test_written_records_are_read(document: Document) -> None:
    text = yaml_record.dump_document(document)
    _agrees(text)
    assert yaml_record.load(text) == document


def test_generated_records_are_read() -> None:
    # Records as the benchmark makes them: real-looking text, all in the writer's layout.
    for document in generate(200, 3):
        text = yaml_record.dump_document(document)
        assert _agrees(text) is not None, document.id


@FEWER
@given(st.dictionaries(key, tree(), min_size=1, max_size=6))
def test_written_trees_are_read_as_ruamel_reads_them(data: dict[str, Any]) -> None:
    written = yaml_writer.fast_dump(data)
    _agrees(written if written is not None else yaml_record._ruamel_dump(data))


@SETTINGS
@given(st.lists(st.tuples(key, text), min_size=1, max_size=4), st.integers(0, 8))
def test_written_text_is_read_back(fields: list[tuple[str, str]], depth: int) -> None:
    data: dict[str, Any] = dict(fields)
    for _ in range(depth):
        data = {"nested": data} if depth % 2 else {"items": [data, {"id": "x"}]}
    written = yaml_writer.fast_dump(data)
    if written is not None:
        assert _agrees(written) in (None, data)
        assert _ruamel(written) == data  # what is written reads back

# Hand edits: what a historian's editor might do to a record file, in the places where
# YAML's rules turn.
EDITS = ["", " ", "  ", "#", " #", "# x", ": ", ":", "- ", "-", "'", "''", '"', "\\", "\\n", "\\x4", "\\u00e9", "|-", "|",
         ">", "\n", "\n\n", "\n ", "\n  ", "\n    ", "\n- ", "\n  - ", "\n  x: y", "&a ", "*a", "!!str ", "[", "{", "%",
         "---", "...", "1960-02-31", "1960-06-17", "null", "true", "12", "x", "é"]  # fmt: skip


@st.composite
def edited_records(draw: st.DrawFn) -> str:
    document = draw(st.sampled_from(generate(20, 5)))
    lines = yaml_record.dump_document(document).split("\n")
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        kind = draw(st.integers(0, 4))
        if kind == 0:  # insert text into a line
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(EDITS)) + line[at:]
        elif kind == 1 and line:  # delete a few characters
            at = draw(st.integers(0, len(line) - 1))
            lines[index] = line[:at] + line[at + draw(st.integers(1, 3)) :]
        elif kind == 2:  # indent or outdent a line
            lines[index] = " " * draw(st.integers(0, 6)) + line.lstrip(" ")
        elif kind == 3:  # drop a line
            del lines[index]
        else:  # repeat a line
            lines.insert(index, line)
    return "\n".join(lines)


@SETTINGS
@given(edited_records())
def test_hand_edited_records_are_read_as_ruamel_reads_them_or_left_to_it(text: str) -> None:
    data = yaml_layout.read(text)
    if data is None:
        return
    try:
        expected = _ruamel(text)
    except RecordError:
        raise AssertionError(f"read what ruamel refuses:\n{text}") from None
    assert data == expected, text


def test_what_it_gives_up_on() -> None:
    given_up = [
        "a: b  # a comment after a value",
        "a: [1, 2]",
        "a: &x b\nc: *x",
        "a: !!str b",
        "a: >\n  folded",
        "a: |\n  kept final break",
        "a:\n- at the key's indentation",
        "a:",
        "a: b\na: c",
        "null: b",
        "a: b\n  c: d",
        "a: 'one\n\n  two'",
        "a: b\tc",
        "a: -1",
        '"a": b',
        "a: 1960-02-31",
    ]
    for case in given_up:
        assert yaml_layout.read(case) is None, case


def test_what_it_reads() -> None:
    read = yaml_layout.read
    assert read("# header\n\na: plain text\n  folded here\n") == {"a": "plain text folded here"}
    assert read("a: 'it''s\n  folded'\n") == {"a": "it's folded"}
    assert read('a: "tab\\there \\u00e9 \\x41\n  folded, and an escaped \\\n  break"\n') == {
        "a": "tab\there é A folded, and an escaped break"
    }
    assert read("a: |-\n  line one\n\n    indented\nb: 12\n") == {"a": "line one\n\n  indented", "b": 12}
    assert read("a:\n  - x\n  # a comment between items\n  - k: v\n    n: true\nb: 1960-06-17\n") == {
        "a": ["x", {"k": "v", "n": True}],
        "b": datetime.date(1960, 6, 17),
    }

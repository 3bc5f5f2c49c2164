"""Streaming export: ``Format.dump_iter`` gives ``dump()``'s text in pieces, reading
its items one at a time, and ``archcite export`` writes the pieces as they come,
to a file only by an atomic rename."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import documents

from archcite.cli import main
from archcite.collection import Collection
from archcite.formats import ExportOptions, Item, get_format
from archcite.formats.yaml_record import dump_document
from archcite.models import Document

from conftest import SEED

STREAMING = ("csl-json", "bibtex", "biblatex")
SOME = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def seed_document() -> Document:
    from archcite.formats.record_text import load

    return load(SEED.read_text(encoding="utf-8"), str(SEED))


def variant(document: Document, number: int) -> Document:
    """A copy of ``document`` with its own id and title: its excerpts' items show which document they came from."""
    return document.model_copy(update={"id": f"{document.id}-{number}", "title": f"{document.title} ({number})"}, deep=True)


def items_of(document: Document) -> list[Item]:
    """What `archcite export --excerpts` writes for a document: its item, then its excerpts'."""
    return [Item(document)] + [Item(document, e) for e in document.excerpts]


def fresh_items(count: int) -> Iterator[Item]:
    """Documents made as they are asked for and let go after their items: the next
    document may reuse a freed one's id(), which no per-document cache may mistake."""
    seed = seed_document()
    for number in range(count):
        yield from items_of(variant(seed, number))


@pytest.mark.parametrize("name", STREAMING)
@pytest.mark.parametrize("ascii", [False, True])
def test_pieces_join_to_dump_from_a_list_and_from_a_one_pass_stream(name: str, ascii: bool) -> None:
    fmt, options = get_format(name), ExportOptions(ascii=ascii)
    items = list(fresh_items(12))
    whole = fmt.dump(items, options)
    assert "".join(fmt.dump_iter(items, options)) == whole
    assert "".join(fmt.dump_iter(fresh_items(12), options)) == whole
    assert "".join(fmt.dump_iter(iter(items), options)) == whole


@pytest.mark.parametrize("name", STREAMING)
@SOME
@given(st.lists(documents(), max_size=4))
def test_streamed_documents_match_dump(name: str, generated: list[Document]) -> None:
    fmt = get_format(name)
    items = [item for document in generated for item in items_of(document)]
    assert "".join(fmt.dump_iter(iter(items), ExportOptions())) == fmt.dump(items, ExportOptions())


def test_csl_json_is_one_list_one_item_per_piece() -> None:
    fmt = get_format("csl-json")
    assert list(fmt.dump_iter([], ExportOptions())) == ["[]\n"]
    pieces = list(fmt.dump_iter(fresh_items(2), ExportOptions()))
    assert pieces[0].startswith("[\n{") and all(p.startswith(",\n{") for p in pieces[1:-1]) and pieces[-1] == "\n]\n"
    assert [item["id"] for item in json.loads("".join(pieces))] == [item.id for item in fresh_items(2)]


@pytest.mark.parametrize("name", ["bibtex", "biblatex"])
def test_bib_entries_one_per_piece(name: str) -> None:
    fmt = get_format(name)
    assert list(fmt.dump_iter([], ExportOptions())) == []
    pieces = list(fmt.dump_iter(fresh_items(2), ExportOptions()))
    assert len(pieces) == len(list(fresh_items(2)))
    assert all(piece.lstrip("\n").startswith("@") and piece.endswith("}\n") for piece in pieces)


@pytest.mark.parametrize("name", STREAMING)
def test_items_are_read_one_at_a_time(name: str) -> None:
    """Each piece comes after reading just its item: a stream that breaks after
    k items still gives k pieces first, so nothing was read ahead."""
    read: list[Item] = []
    k = 5

    def breaking() -> Iterator[Item]:
        for item in fresh_items(3):
            if len(read) == k:
                raise RuntimeError("read past item k")
            read.append(item)
            yield item

    pieces = get_format(name).dump_iter(breaking(), ExportOptions())
    for count in range(1, k + 1):
        next(pieces)
        assert len(read) == count
    with pytest.raises(RuntimeError, match="read past item k"):
        next(pieces)


def test_biblatex_related_needs_the_document_entry() -> None:
    """From a list, an excerpt's entry links to its document's entry wherever that is;
    from a one-pass stream, to one already written (a document before its excerpts)."""
    fmt = get_format("biblatex")
    document = seed_document()
    excerpt_first = items_of(document)[1:] + [Item(document)]
    assert "related = {wcda-114978}" in fmt.dump(excerpt_first, ExportOptions())
    assert "related = {wcda-114978}" not in fmt.dump(iter(excerpt_first), ExportOptions())
    assert "related = {wcda-114978}" not in fmt.dump(items_of(document)[1:], ExportOptions())


def test_losses_per_item_match_losses() -> None:
    fmt = get_format("bibtex")
    items = list(fresh_items(2))
    assert {item.id: lost for item in items if (lost := fmt.item_losses(item))} == fmt.losses(items)


# --- the command line --------------------------------------------------------------


@pytest.fixture()
def filled(records: Path) -> Path:
    """A records folder of six documents."""
    seed = seed_document()
    for number in range(6):
        document = variant(seed, number)
        (records / f"{document.id}.yaml").write_text(dump_document(document), encoding="utf-8")
    return records


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", STREAMING)
def test_cli_export_writes_what_dump_gives(name: str, filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = get_format(name).dump([i for d in Collection(filled) for i in items_of(d)], ExportOptions())
    code, out, _ = run(capsys, "export", "--format", name, "--excerpts", "--records", str(filled))
    assert (code, out) == (0, expected)
    target = tmp_path / "out" / "library.txt"
    target.parent.mkdir()  # -o makes no folders (tests/test_file_safety.py)
    code, out, _ = run(capsys, "export", "--format", name, "--excerpts", "--records", str(filled), "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_bytes() == expected.encode("utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["library.txt"]  # no temp file left


def test_cli_export_reads_one_record_per_piece(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The collection streams: each record is read when the export needs it, after the previous one was written."""
    events: list[str] = []
    load = Collection.load

    def logged_load(self: Collection, path: Path) -> Document:
        events.append("read")
        return load(self, path)

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            events.append("write")
            return super().write(text)

    monkeypatch.setattr(Collection, "load", logged_load)
    monkeypatch.setattr(sys, "stdout", Out())
    assert main(["export", "--format", "csl-json", "--records", str(filled)]) == 0
    assert events == ["read", "write"] * 6 + ["write"]


def break_record(records: Path) -> None:
    """The last record file, by name, is broken: the export fails after writing the others."""
    last = sorted(records.glob("*.yaml"))[-1]
    last.write_text(last.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")


@pytest.mark.parametrize("name", STREAMING)
def test_cli_export_failing_midway_leaves_the_output_file_untouched(
    name: str, filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "library.txt"
    target.parent.mkdir()
    target.write_text("the old library\n", encoding="utf-8")
    break_record(filled)
    code, out, err = run(capsys, "export", "--format", name, "--records", str(filled), "-o", str(target))
    assert code == 1 and out == "" and err.startswith("archcite: ") and "wcda-114978-5.yaml" in err
    assert target.read_text(encoding="utf-8") == "the old library\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["library.txt"]  # the temp file is gone


def test_cli_export_failing_midway_creates_no_output_file(filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_record(filled)
    code, _, _ = run(capsys, "export", "--format", "csl-json", "--records", str(filled), "-o", str(tmp_path / "new.json"))
    assert code == 1 and sorted(p.name for p in tmp_path.iterdir()) == ["records"]


def test_cli_export_to_a_device_writes_through_it(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """/dev/null (or a pipe) is written to, not replaced by a renamed temp file."""
    if not os.path.exists(os.devnull) or not os.access(os.devnull, os.W_OK):
        pytest.skip("no writable /dev/null")
    code, out, err = run(capsys, "export", "--format", "csl-json", "--records", str(filled), "-o", os.devnull)
    assert (code, out, err) == (0, "", "")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_cli_export_report_while_streaming(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--format", "bibtex", "--report", "--records", str(filled))
    assert code == 0 and out.count("@misc{") == 6
    assert err.count("not carried as a structured field: translation (written as text in note)") == 6

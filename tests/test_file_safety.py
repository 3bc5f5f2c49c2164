"""How the command line treats the user's files and folders: the modes of what it writes,
folders it must not make, errors that name the user's path, output that cannot be written,
a records folder that is not there, and imports that would replace richer records."""

from __future__ import annotations

import errno
import io
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from archcite import Document, files
from archcite.cli import main
from archcite.files import TEMP_SUFFIX

from conftest import ROOT, SEED

SHIPPED = ROOT / "records"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def umask() -> Iterator[None]:
    """Each test sets the umask it needs; the one before is restored whatever happens."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


# --- modes -------------------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_new_files_get_0666_less_the_umask(mask: int, umask: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.umask(mask)
    records, out = tmp_path / "records", tmp_path / "out.json"
    assert run(capsys, "import", str(SEED), "--records", str(records))[0] == 0
    assert run(capsys, "export", "-f", "csl-json", "-o", str(out), "--records", str(records))[0] == 0
    for path in (out, records / "wcda-114978.yaml", records / "record.schema.json"):
        assert _mode(path) == 0o666 & ~mask, path


def test_replaced_files_keep_their_mode(umask: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.umask(0o077)  # would give 0600: the old file's mode must win over it
    out = tmp_path / "out.json"
    out.write_text("old\n")
    out.chmod(0o644)
    assert run(capsys, "export", "-f", "csl-json", "-o", str(out), "--records", str(SHIPPED))[0] == 0
    assert out.read_text() != "old\n" and _mode(out) == 0o644
    out.chmod(0o664)
    files.write_atomic(out, "again\n")
    assert _mode(out) == 0o664


def test_output_through_a_symbolic_link_updates_the_file_it_points_to(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "zotero").mkdir()
    target = tmp_path / "zotero" / "refs.json"
    target.write_text("old\n")
    (tmp_path / "middle.json").symlink_to(target)
    link = tmp_path / "refs.json"
    link.symlink_to("middle.json")  # relative, and a chain of two
    assert run(capsys, "export", "-f", "csl-json", "-o", str(link), "--records", str(SHIPPED))[0] == 0
    assert link.is_symlink() and os.readlink(link) == "middle.json"
    assert target.read_text().startswith('[\n{"id": "wcda-114978"')
    files.write_atomic(link, "again\n")
    assert link.is_symlink() and target.read_text() == "again\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["middle.json", "refs.json", "zotero"]  # no temp file left
    # A link to a file not there yet: the file is made where the link points.
    (tmp_path / "new.bib").symlink_to(tmp_path / "zotero" / "new.bib")
    assert run(capsys, "export", "-f", "bibtex", "-o", str(tmp_path / "new.bib"), "--records", str(SHIPPED))[0] == 0
    assert (tmp_path / "zotero" / "new.bib").read_text().startswith("@")


# --- folders and paths in messages ----------------------------------------------------------


def test_output_into_a_missing_folder_is_an_error_and_makes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "out.json"
    code, out, err = run(capsys, "export", "-f", "csl-json", "-o", str(target), "--records", str(SHIPPED))
    assert (code, out) == (1, "")
    assert err == f"archcite: {target}: no folder '{target.parent}'; create it first (mkdir -p), or write somewhere else\n"
    assert not (tmp_path / "no").exists()
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    code, _, err = run(capsys, "export", "-f", "csl-json", "-o", str(a_file / "out.json"), "--records", str(SHIPPED))
    assert code == 1 and f"'{a_file}' is not a folder" in err


def test_a_write_error_names_the_users_path_not_the_temp_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def refuse_temp_files(path: str | Path, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        if str(path).endswith(TEMP_SUFFIX):
            raise OSError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    target = tmp_path / "out.json"
    monkeypatch.setattr(os, "open", refuse_temp_files)
    code, out, err = run(capsys, "export", "-f", "csl-json", "-o", str(target), "--records", str(SHIPPED))
    monkeypatch.undo()
    assert (code, out) == (1, "")
    assert err == f"archcite: {target}: cannot write: Permission denied; nothing was changed\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_writing_into_proc_names_the_target(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "-f", "csl-json", "-o", "/proc/out.json", "--records", str(SHIPPED))
    assert code == 1 and err.startswith("archcite: /proc/out.json: cannot write: ") and TEMP_SUFFIX not in err


# --- output that cannot be written ---------------------------------------------------------


def _archcite(*argv: str, stdout: int | IO[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """A real process: what Python prints at exit (an unflushed stdout) shows only there."""
    return subprocess.run(
        [sys.executable, "-m", "archcite", *argv], stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=cwd, timeout=120, check=False
    )


COMMANDS_THAT_PRINT = [
    ["cite", "wcda-114978"],
    ["show", "wcda-114978"],
    ["list"],
    ["export", "-f", "csl-json"],
    ["export", "-f", "chicago-bibliography"],
    ["validate", "--json"],
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("argv", COMMANDS_THAT_PRINT, ids=" ".join)
def test_a_full_disk_on_stdout_is_one_line_exit_1(argv: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = _archcite(*argv, "--records", str(SHIPPED), stdout=full)
    assert result.returncode == 1
    assert result.stderr == (
        "archcite: <stdout>: cannot write: No space left on device; free some space where the output goes, or send it elsewhere\n"
    )


@pytest.mark.parametrize("argv", COMMANDS_THAT_PRINT, ids=" ".join)
def test_a_closed_pipe_ends_quietly_as_sigpipe_would(argv: list[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # `archcite ... | head -0`: nobody reads
    try:
        result = _archcite(*argv, "--records", str(SHIPPED), stdout=writer)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (141, "")


class _FullDisk(io.StringIO):
    """A stdout whose buffered text cannot be flushed: the disk filled after it was printed."""

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_an_error_after_output_that_cannot_be_flushed_is_reported_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    code, _, err = run(capsys, "show", "wcda-1", "--records", str(SHIPPED))
    assert code == 1 and err.startswith("archcite: no record 'wcda-1'") and err.count("\n") == 1
    code, _, err = run(capsys, "list", "--records", str(SHIPPED))
    assert code == 1 and err.startswith("archcite: <stdout>: cannot write: No space left on device;")


# --- the records folder ----------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["validate"], ["validate", "--json"], ["list"], ["export", "-f", "yaml"], ["cite", "wcda-114978"], ["show", "wcda-114978"]], ids=" ".join)
def test_a_missing_records_folder_is_an_error(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "typo"
    code, out, err = run(capsys, *argv, "--records", str(typo))
    assert (code, out) == (1, "")
    assert err == f"archcite: {typo}: no such records folder; create it, or point --records or $ARCHCITE_RECORDS at your records\n"
    assert not typo.exists()


def test_the_default_records_folder_is_named_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCHCITE_RECORDS", raising=False)
    result = _archcite("validate", stdout=subprocess.PIPE, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"archcite: {tmp_path / 'records'}: no such records folder; ")


def test_import_makes_the_records_folder_but_not_the_folders_above(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "new"
    code, out, err = run(capsys, "import", str(SEED), "--records", str(new))
    assert code == 0 and out.startswith("wcda-114978\t") and (new / "wcda-114978.yaml").is_file()
    assert err == f"archcite: made the records folder {new}\n"
    deep = tmp_path / "no" / "such" / "records"
    code, out, err = run(capsys, "import", str(SEED), "--records", str(deep))
    assert (code, out) == (1, "")
    assert err == f"archcite: {deep}: cannot make the records folder: no folder '{deep.parent}'; create it first\n"
    assert not (tmp_path / "no").exists()


def test_import_into_a_file_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = tmp_path / "notadir"
    not_a_folder.write_text("x\n")
    code, out, err = run(capsys, "import", str(SEED), "--records", str(not_a_folder))
    assert (code, out) == (1, "")
    assert err == f"archcite: {not_a_folder}: the records folder is not a folder; point --records or $ARCHCITE_RECORDS at a folder\n"
    assert not_a_folder.read_text() == "x\n"
    code, _, err = run(capsys, "list", "--records", str(not_a_folder))
    assert code == 1 and "the records folder is not a folder" in err


# --- import notes ----------------------------------------------------------------------------


def test_import_notes_name_their_file_once(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("hand.bib").write_text("@misc{hand,\n  title = {T},\n  year = {1961},\n  isbn = {1}\n}\n")
    Path("zotero.json").write_text('[{"id": "zot", "type": "document", "title": "T", "ISBN": "1"}]\n')
    code, _, err = run(capsys, "import", "hand.bib", "zotero.json", "--records", str(records))
    assert code == 0
    assert err.splitlines() == [
        "archcite: hand.bib:1: entry 'hand': archcite has no place for isbn; ignored",
        "archcite: zotero.json: item 1 (zot): ignored ISBN: archcite has no field for it",
    ]


# --- an import never replaces a different record unless told to ---------------------------------

POORER = '[{"id": "wcda-114978", "type": "document", "title": "Telegram", "issued": {"date-parts": [[1953]]}}]\n'
LOST_TO_POORER = (
    "it would lose summary, original_language, translation, original_publication, repository, funding, people, "
    "excerpts, citation; change title, date"
)


@pytest.fixture()
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped records: the rich, hand-reviewed record an import must not wipe."""
    folder = tmp_path / "records"
    shutil.copytree(SHIPPED, folder)
    return folder


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), _mode(p)) for p in sorted(folder.iterdir())}


def test_import_of_a_poorer_record_replaces_nothing_and_says_what_would_be_lost(
    shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    poorer, new = tmp_path / "z.json", tmp_path / "new.txt"
    poorer.write_text(POORER)
    new.write_text("June 17, 1960\n\nA new document\n")
    before = _snapshot(shipped)
    code, out, err = run(capsys, "import", str(new), str(poorer), "--records", str(shipped))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"archcite: {shipped / 'wcda-114978.yaml'}: importing {poorer} would replace this record: {LOST_TO_POORER}",
        "archcite: nothing was imported: 1 record in the records folder would be replaced by different content; "
        "to replace it, run the import again with --replace (or with --keep-going to import the rest)",
    ]
    assert _snapshot(shipped) == before  # all or none: the new record is not written either


def test_re_importing_archcites_own_bibtex_replaces_nothing(shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = tmp_path / "library.bib"
    assert run(capsys, "export", "-f", "bibtex", "-o", str(bib), "--records", str(shipped))[0] == 0
    before = _snapshot(shipped)
    code, out, err = run(capsys, "import", str(bib), "--records", str(shipped))
    assert (code, out) == (1, "")
    assert "would lose original_language, translation, original_publication" in err
    assert _snapshot(shipped) == before


def test_re_importing_a_record_text_keeps_hand_added_fields(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from archcite import Collection

    assert run(capsys, "import", str(SEED), "--records", str(records))[0] == 0
    collection = Collection(records)

    def name_by_hand(document: Document) -> Document:
        people = [document.people[0].model_copy(update={"family": "Kim", "given": "Il Sung"}), *document.people[1:]]
        return document.model_copy(update={"people": people})

    collection.update("wcda-114978", name_by_hand)
    before = _snapshot(records)
    code, _, err = run(capsys, "import", str(SEED), "--records", str(records))
    assert code == 1
    assert f"importing {SEED} would replace this record: it would change people\n" in err
    assert _snapshot(records) == before


def test_identical_content_is_unchanged_and_replace_replaces_keeping_the_mode(
    shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = shipped / "wcda-114978.yaml"
    same = tmp_path / "same.json"
    assert run(capsys, "export", "-f", "csl-json", "--excerpts", "-o", str(same), "--records", str(shipped))[0] == 0
    code, out, err = run(capsys, "import", str(same), "--records", str(shipped))
    assert (code, out, err) == (0, f"wcda-114978\t{record}\t(unchanged)\n", "")
    record.chmod(0o640)
    poorer = tmp_path / "z.json"
    poorer.write_text(POORER)
    code, out, err = run(capsys, "import", str(poorer), "--records", str(shipped), "--replace")
    assert (code, out, err) == (0, f"wcda-114978\t{record}\n", "")
    assert "Telegram" in record.read_text() and "excerpts" not in record.read_text()
    assert _mode(record) == 0o640


def test_keep_going_skips_the_records_it_would_replace(shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    poorer, new = tmp_path / "z.json", tmp_path / "new.txt"
    poorer.write_text(POORER)
    new.write_text("June 17, 1960\n\nA new document\n")
    rich = (shipped / "wcda-114978.yaml").read_bytes()
    code, out, err = run(capsys, "import", str(poorer), str(new), "--records", str(shipped), "--keep-going")
    assert code == 1
    assert out == f"a-new-document\t{shipped / 'a-new-document.yaml'}\n"
    assert err == f"archcite: {shipped / 'wcda-114978.yaml'}: importing {poorer} would replace this record: {LOST_TO_POORER} (skipped)\n"
    assert (shipped / "wcda-114978.yaml").read_bytes() == rich


def test_an_unreadable_record_is_not_replaced_without_replace(shipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = shipped / "wcda-114978.yaml"
    broken = record.read_text() + "colour: blue\n"  # a slip in a hand edit: the rest is still worth keeping
    record.write_text(broken)
    poorer = tmp_path / "z.json"
    poorer.write_text(POORER)
    code, _, err = run(capsys, "import", str(poorer), "--records", str(shipped))
    assert code == 1
    assert err.startswith(
        f"archcite: {record}:{broken.count(chr(10))}: importing {poorer} would replace this record, "
        "which cannot be read (unknown field 'colour'; "
    )
    assert record.read_text() == broken
    assert run(capsys, "import", str(poorer), "--records", str(shipped), "--replace")[0] == 0
    assert "Telegram" in record.read_text()


def test_collection_add_all_without_replace_raises_with_every_difference(records: Path, seed: Document) -> None:
    from archcite import Collection, ConflictError

    collection = Collection(records)
    other = seed.model_copy(update={"id": "wcda-2"})
    collection.add_all([seed, other])
    before = _snapshot(records)
    poorer = [seed.model_copy(update={"excerpts": [], "genre": "Telegram"}), other.model_copy(update={"summary": None})]
    with pytest.raises(ConflictError) as caught:
        collection.add_all(poorer, replace=False)
    assert [(d.record_id, d.lost, d.changed, d.added) for d in caught.value.differences] == [
        ("wcda-114978", ("excerpts",), (), ("genre",)),
        ("wcda-2", ("summary",), (), ()),
    ]
    assert [str(p) for p in caught.value.problems] == [
        f"{records / 'wcda-114978.yaml'}: the record differs from the one to be written: it would lose excerpts; gain genre",
        f"{records / 'wcda-2.yaml'}: the record differs from the one to be written: it would lose summary",
    ]
    assert _snapshot(records) == before
    assert collection.add_all([seed, other], replace=False) == [(records / "wcda-114978.yaml", False), (records / "wcda-2.yaml", False)]
    collection.add_all(poorer)  # the API's default: replace, as before
    assert collection.get("wcda-2").summary is None

"""How the command line treats the user's files and folders: the modes of what it writes,
folders it must not make, errors that name the user's path, output that cannot be written,
a records folder that is not there, and imports that would replace richer records."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from archcite import files
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

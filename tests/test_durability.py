"""No data loss: atomic writes survive SIGKILL, concurrent writers keep each other's
updates, a write that fails halfway is rolled back, hand-written comments survive."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from archcite import files
from archcite.cli import main
from archcite.collection import Collection
from archcite.errors import ArchciteError
from archcite.files import TEMP_SUFFIX
from archcite.formats import yaml_record

ROOT = Path(__file__).resolve().parents[1]


def _python(script: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], cwd=ROOT)


def _kill_at_random(script: str, target: Path, *args: str, rounds: int = 5) -> None:
    """Start the writer, let it write for a random while, SIGKILL it, ``rounds`` times."""
    rng = random.Random(1960)
    for _ in range(rounds):
        writer = _python(script, *args)
        try:
            deadline = time.monotonic() + 20
            while not target.exists():  # at least one complete write first
                assert writer.poll() is None, "the writer died on its own"
                assert time.monotonic() < deadline
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.4))
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait()


WRITE_ATOMIC_LOOP = """
    import sys
    from archcite.files import write_atomic
    path, size = sys.argv[1], int(sys.argv[2])
    while True:
        for mark in "AB":
            write_atomic(path, mark * size)
"""


def test_killed_write_atomic_leaves_old_or_new_file(tmp_path: Path) -> None:
    target, size = tmp_path / "big.txt", 8_000_000
    _kill_at_random(WRITE_ATOMIC_LOOP, target, str(target), str(size))
    text = target.read_text(encoding="utf-8")
    assert text in ("A" * size, "B" * size)  # one whole version, never a mix or a cut


COLLECTION_ADD_LOOP = """
    import sys
    from archcite.collection import Collection
    from archcite.files import read_text
    from archcite.formats.record_text import load
    folder, seed = sys.argv[1], sys.argv[2]
    document = load(read_text(seed), seed)
    versions = [document.model_copy(update={"summary": mark * 300_000}) for mark in "AB"]
    collection = Collection(folder)
    while True:
        for version in versions:
            collection.add(version)
"""


def test_killed_collection_add_leaves_old_or_new_record(tmp_path: Path, seed) -> None:  # type: ignore[no-untyped-def]
    from conftest import SEED

    folder = tmp_path / "records"
    record = folder / f"{seed.id}.yaml"
    _kill_at_random(COLLECTION_ADD_LOOP, record, str(folder), str(SEED))
    collection = Collection(folder)
    assert [p.name for p in collection.files()] == [record.name]  # temp files are hidden
    document = collection.get(seed.id)
    assert document.summary in ("A" * 300_000, "B" * 300_000)
    assert document.excerpts == seed.excerpts
    # The next writer clears what killed writers left behind.
    collection.add(seed)
    assert not list(folder.glob(f".*{TEMP_SUFFIX}"))
    assert sorted(p.name for p in folder.iterdir()) == ["record.schema.json", record.name]


UPDATE_LOOP = """
    import sys
    from archcite.collection import Collection
    folder, record_id, tag, count = sys.argv[1:5]
    collection = Collection(folder)
    for n in range(int(count)):
        collection.update(record_id, lambda d: d.model_copy(update={"summary": f"{d.summary}\\n{tag}{n}"}))
"""


def test_two_processes_updating_one_record_keep_both_updates(tmp_path: Path, seed) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "records"
    Collection(folder).add(seed.model_copy(update={"summary": "start"}))
    writers = [_python(UPDATE_LOOP, str(folder), seed.id, tag, "10") for tag in "XY"]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    lines = Collection(folder).get(seed.id).summary.split("\n")  # type: ignore[union-attr]
    assert lines[0] == "start"
    assert sorted(lines[1:]) == sorted(f"{tag}{n}" for tag in "XY" for n in range(10))


def test_lock_waits_for_another_process(tmp_path: Path, seed) -> None:  # type: ignore[no-untyped-def]
    collection = Collection(tmp_path / "records")
    collection.add(seed)
    with collection.lock():
        other = _python(UPDATE_LOOP, str(collection.folder), seed.id, "Z", "1")
        time.sleep(0.5)
        assert other.poll() is None  # blocked on the lock...
        assert collection.get(seed.id) == seed  # ...and it wrote nothing
    assert other.wait(timeout=60) == 0


def _fail_second_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second rename of a write fails, as a full disk or a yanked drive would."""
    real = os.replace
    calls = []

    def replace(src: str | Path, dst: str | Path) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_add_all_failing_while_writing_restores_the_collection(tmp_path: Path, seed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    collection = Collection(tmp_path / "records")
    collection.add(seed)
    path = collection.path_for(seed.id)
    path.write_text("# my note\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    before = _snapshot(collection.folder)
    changed = seed.model_copy(update={"summary": "changed"})
    new = seed.model_copy(update={"id": "wcda-1", "excerpts": [], "people": []})
    _fail_second_replace(monkeypatch)
    with pytest.raises(ArchciteError, match="No space left on device; nothing was changed"):
        collection.add_all([changed, new])
    assert _snapshot(collection.folder) == before  # no half-import, no temp files


def test_cli_import_failing_while_writing_changes_nothing(tmp_path: Path, seed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    records = tmp_path / "records"
    sources = []
    for record_id in ("doc-a", "doc-b"):
        source = tmp_path / f"{record_id}.yaml"
        source.write_text(yaml_record.dump_document(seed.model_copy(update={"id": record_id})), encoding="utf-8")
        sources.append(str(source))
    records.mkdir()
    _fail_second_replace(monkeypatch)
    assert main(["import", *sources, "--records", str(records)]) == 1
    assert list(records.iterdir()) == []


def test_cli_import_with_one_broken_input_writes_nothing(tmp_path: Path, seed, capsys) -> None:  # type: ignore[no-untyped-def]
    from conftest import SEED

    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    records = tmp_path / "records"
    assert main(["import", str(SEED), str(broken), "--records", str(records)]) == 1
    assert not records.exists() or list(records.iterdir()) == []


def test_cli_import_keeps_hand_written_comments(tmp_path: Path, seed_text: str, capsys) -> None:  # type: ignore[no-untyped-def]
    records = tmp_path / "records"
    source = tmp_path / "114978.txt"
    source.write_text(seed_text, encoding="utf-8")
    assert main(["import", str(source), "--records", str(records)]) == 0
    record = records / "wcda-114978.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("\ntitle:", "\n# checked against the printed book\ntitle:", 1)
    text = text.replace("\nid: wcda-114978\n", "\nid: wcda-114978  # the archive's number\n", 1)
    record.write_text(text, encoding="utf-8")
    # The archive corrects its summary; the historian's comment must survive the re-import,
    # which replaces a record only when told to (tests/test_file_safety.py).
    old_summary = "A compilation of conversations"
    source.write_text(seed_text.replace(old_summary, "A corrected compilation of conversations", 1), encoding="utf-8")
    assert main(["import", str(source), "--records", str(records)]) == 1
    assert record.read_text(encoding="utf-8") == text
    assert main(["import", str(source), "--records", str(records), "--replace"]) == 0
    updated = record.read_text(encoding="utf-8")
    assert "# checked against the printed book\ntitle:" in updated
    assert "id: wcda-114978  # the archive's number\n" in updated
    assert "A corrected compilation of conversations" in updated
    assert Collection(records).get("wcda-114978").summary.startswith("A corrected")  # type: ignore[union-attr]

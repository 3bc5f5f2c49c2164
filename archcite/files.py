"""Reading and writing users' files safely: decoding with clear errors, atomic writes."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from .errors import ArchciteError, RecordError

MAX_BYTES = 64 * 1024 * 1024
STDIN = "<stdin>"  # standard input's name in messages, where a file's path would be


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file; a missing, unreadable or non-UTF-8 file is an ArchciteError."""
    path = Path(path)
    return decode(read_bytes(path), path)


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes; a missing, unreadable or too large file is an ArchciteError."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise RecordError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it", path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArchciteError("no such file", path) from None
    except IsADirectoryError:
        raise ArchciteError("is a folder, not a file", path) from None
    except OSError as exc:
        raise ArchciteError(f"cannot read: {exc.strerror}", path) from None
    return data


def read_stdin() -> str:
    """Standard input as text, read as a file is: closed, empty, too big or not UTF-8 is an
    ArchciteError naming ``<stdin>``.  At most MAX_BYTES are read, not all of a stream that
    has no end (``cat /dev/zero``)."""
    stream = sys.stdin
    if stream is None or not hasattr(stream, "buffer"):
        raise ArchciteError("standard input is closed; pipe a record into '-', or name a file instead", STDIN)
    if stream.isatty():  # else the command seems to hang
        print("archcite: reading a record from standard input; end it with Ctrl-D", file=sys.stderr)
    try:
        data = stream.buffer.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ArchciteError(f"cannot read: {exc.strerror or exc}", STDIN) from None
    if len(data) > MAX_BYTES:
        raise RecordError(f"more than {MAX_BYTES // (1024 * 1024)} MB on standard input; split it", STDIN)
    if not data.strip():
        raise ArchciteError("nothing on standard input; pipe a record into '-' (archcite cite - < record.txt)", STDIN)
    return decode(data, STDIN)


def stdin_is_piped() -> bool:
    """Whether standard input is a pipe or a file (``cat seed.txt | archcite ...``,
    ``archcite ... < seed.txt``): something a user may have meant archcite to read.  A
    terminal, /dev/null, or no standard input at all is not."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # closed, or not a real file (a test's)
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def decode(data: bytes, path: str | Path | None = None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RecordError("file is UTF-16; save it as UTF-8 (e.g. iconv -f utf-16 -t utf-8)", path, 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RecordError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); convert it, e.g. iconv -f latin1 -t utf-8", path, line
        ) from None


# Temp files are hidden (".name.XXXX.tmp") so that a writer killed before its
# rename leaves nothing that lists as a record.
TEMP_SUFFIX = ".tmp"


def _temp_beside(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """``data`` (or its pieces, written as they come) written and flushed to disk in a hidden
    temp file in ``path``'s folder; removed again if anything fails on the way.

    The temp file becomes ``path`` by a rename, so it is given the mode ``path`` should end
    up with: that of the file it replaces, else what the user's umask makes of 0666, as for
    any file a program creates.  (``tempfile.mkstemp`` would make every file 0600.)"""
    import secrets  # here, not at the top: commands that only read never pay for it

    folder = path.parent
    if not folder.is_dir():
        # Never made on the user's behalf: a typo in -o would otherwise leave folders behind.
        if folder.exists():
            raise ArchciteError(f"{str(folder)!r} is not a folder; write somewhere else", path)
        raise ArchciteError(f"no folder {str(folder)!r}; create it first (mkdir -p), or write somewhere else", path)
    try:
        keep_mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        keep_mode = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = folder / f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            fd = os.open(tmp, flags, 0o666)  # the kernel applies the umask, as for any new file
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            if keep_mode is not None:
                os.fchmod(handle.fileno(), keep_mode)
            handle.writelines([data] if isinstance(data, bytes) else data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _named(exc: OSError, path: Path) -> ArchciteError:
    """An OSError met while writing ``path`` as the user's error: it names ``path``, not the
    temp file archcite was writing when it happened, which the user never asked for."""
    return ArchciteError(f"cannot write: {exc.strerror or exc}; nothing was changed", path)


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` survive a power cut (the rename lives in the folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename itself is done


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never a mix."""
    write_many_atomic({_through_links(Path(path)): text})


def write_atomic_pieces(path: str | Path, pieces: Iterable[str]) -> None:
    """``write_atomic`` a piece at a time (a streaming export): the pieces go to the temp
    file as they come, and ``path`` is replaced only when the last is on disk.  Any failure
    on the way (a bad record halfway, a full disk, Ctrl-C) leaves ``path`` as it was."""
    path = _through_links(Path(path))
    try:
        tmp = _temp_beside(path, (piece.encode("utf-8") for piece in pieces))
        try:
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise _named(exc, path) from None
    _sync_folder(path.parent)


def _through_links(path: Path) -> Path:
    """The file a symbolic link points to (through any chain of links), else ``path``.  The
    rename that makes a write atomic would otherwise put a plain file in the link's place:
    ``-o refs.json``, a link into a Zotero or pandoc folder, must update the file linked to."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def write_many_atomic(writes: dict[Path, str]) -> None:
    """Write several files, all or none: each file is the old one or the new one,
    never a mix, and if any write fails the files already renamed get their old
    content back.  Everything goes to temp files first, so a full disk or a bad
    path fails before any file is touched."""
    at: list[Path] = []  # the file being written when a failure comes
    try:
        _write_many(writes, at)
    except OSError as exc:
        raise _named(exc, at[-1] if at else next(iter(writes))) from None


def _write_many(writes: dict[Path, str], at: list[Path]) -> None:
    temps: dict[Path, Path] = {}
    try:
        for path, text in writes.items():
            at.append(path)
            temps[path] = _temp_beside(path, text.encode("utf-8"))
        backups = {path: path.read_bytes() if path.exists() else None for path in writes}
        done: list[Path] = []
        try:
            for path, tmp in temps.items():
                at.append(path)
                os.replace(tmp, path)
                done.append(path)
        except BaseException:
            _restore(done, backups)
            raise
        for folder in {path.parent for path in writes}:
            _sync_folder(folder)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


def _restore(done: list[Path], backups: dict[Path, bytes | None]) -> None:
    """Undo renames already made: old files back (atomically), new files removed."""
    for path in reversed(done):
        old = backups[path]
        if old is None:
            path.unlink(missing_ok=True)
        else:
            tmp = _temp_beside(path, old)
            os.replace(tmp, path)

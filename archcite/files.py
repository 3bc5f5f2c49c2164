"""Reading and writing users' files safely: decoding with clear errors, atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import ArchciteError, RecordError

MAX_BYTES = 64 * 1024 * 1024


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file; a missing, unreadable or non-UTF-8 file is an ArchciteError."""
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
    return decode(data, path)


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


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""A cache of parsed record files, for commands that read one record by id (``cite``, ``show``).

Reading a record file means importing ruamel.yaml, parsing the YAML and building Pydantic's
validators for the models: about 0.1 s, a third of an ``archcite cite`` process.  The document
a record file gives is kept, pickled, in the user's cache folder
(``$XDG_CACHE_HOME/archcite/records``, by default ``~/.cache/archcite/records``), never in
the records folder, one cache file per record file.

A cached document is used only when its key matches: a hash of the record file's bytes, of its
path, and of what reading depends on (archcite's reading code, the Python, Pydantic and
langcodes installed).  Any change to the record, to archcite or to those libraries is a miss,
and the record is read afresh.  A cache file that is missing, unreadable, corrupt or written by
another version is a miss too; the cache never changes what a command prints or which error it
reports.  Only archcite's model classes are unpickled (a restricted unpickler), so a cache file
cannot run code.  ``ARCHCITE_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models
from .models import Document

_MAGIC = b"archcite-record-cache 1\n"
# The modules whose code decides what document a record file gives.
_READING_CODE = ("models.py", "languages.py", "files.py", "collection.py", "record_cache.py", "formats/yaml_record.py")
_MODEL_CLASSES = frozenset(
    name for name, value in vars(models).items() if isinstance(value, type) and issubclass(value, BaseModel)
)


def enabled() -> bool:
    return not os.environ.get("ARCHCITE_NO_CACHE")


def cache_dir() -> Path:
    # The XDG base directory spec: a relative $XDG_CACHE_HOME is invalid and is ignored.
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "archcite" / "records"


def load(path: Path, data: bytes) -> Document | None:
    """The document cached for the record file ``path`` holding ``data``; None on a miss."""
    if not enabled():
        return None
    try:
        cached = _entry(path).read_bytes()
        head = _MAGIC + _key(path, data)
    except OSError:
        return None
    if not cached.startswith(head):
        return None
    try:
        document = _Unpickler(cached[len(head) :]).load()
    except Exception:  # a damaged or foreign cache file is a miss, whatever it holds
        return None
    return document if isinstance(document, Document) else None


def store(path: Path, data: bytes, document: Document) -> None:
    """Keep ``document`` as what the record file ``path`` holding ``data`` gives.  Best effort:
    a cache that cannot be written (read-only home, full disk) changes nothing but speed."""
    if not enabled():
        return
    entry = _entry(path)
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp.write_bytes(_MAGIC + _key(path, data) + pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temp, entry)  # atomic: a concurrent reader sees the old entry or the new one
    except OSError:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass  # the folder itself could not be made: there is no temp file


def _entry(path: Path) -> Path:
    """One cache file per record file, so the cache grows with the records, not with their edits."""
    return cache_dir() / (hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32] + ".pickle")


def _key(path: Path, data: bytes) -> bytes:
    digest = hashlib.sha256(_fingerprint())
    digest.update(os.fsencode(path.resolve()) + b"\0")
    digest.update(data)
    return digest.hexdigest().encode("ascii") + b"\n"


@lru_cache(maxsize=1)
def _fingerprint() -> bytes:
    """What the cached documents depend on besides the record: a new archcite (even an edit
    of its reading code), Python, Pydantic or langcodes makes every entry a miss."""
    import importlib.util

    import pydantic
    import pydantic_core

    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0{pydantic_core.__version__}\0".encode())
    here = Path(__file__).parent
    for name in _READING_CODE:
        digest.update((here / name).read_bytes())
    # langcodes names the languages archcite.languages does not hold; it is not imported
    # here (that is what the cache saves), so its installed files stand for its version.
    for package in ("langcodes", "language_data"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            stat = os.stat(spec.origin)
            digest.update(f"{spec.origin}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.digest()


class _Unpickler(pickle.Unpickler):
    """Unpickles archcite's models and plain data, nothing else."""

    def __init__(self, data: bytes) -> None:
        import io

        super().__init__(io.BytesIO(data))

    def find_class(self, module: str, name: str) -> Any:
        if module == models.__name__ and name in _MODEL_CLASSES:
            return getattr(models, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not an archcite model")

"""A cache of what record files give, for commands that read one record by id (``cite``, ``show``).

Reading a record file means importing PyYAML and Pydantic, parsing the YAML and building
Pydantic's validators for the models: most of an ``archcite cite`` process.  Two things a
record file gives are kept in the user's cache folder (``$XDG_CACHE_HOME/archcite/records``, by
default ``~/.cache/archcite/records``), never in the records folder, each in one cache file
per record file:

- the document, pickled (``load``/``store``), for ``show`` and for library calls;
- what citing needs (``load_citations``/``store_citations``): the CSL-JSON of the document
  and of each excerpt, as JSON, so that ``cite`` can format a cached record without importing
  Pydantic or the models at all.  The citation is still formatted afresh on every run; only
  the record's conversion to CSL-JSON is kept.

An entry is used only when its key matches: a hash of the record file's bytes, of its path, and
of what reading and converting depend on (all of archcite's code, the Python, and the
Pydantic, langcodes, ruamel.yaml and PyYAML installed).  Any change to the record, to archcite
or to those libraries is a miss, and the record is read afresh.  A cache file that is missing,
unreadable, corrupt or written by another version is a miss too; the cache never changes what
a command prints or which error it reports.  Only archcite's model classes are unpickled (a
restricted unpickler), so a cache file cannot run code.  ``ARCHCITE_NO_CACHE=1`` turns the
cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pickle

    from .models import Document

_MAGIC = b"archcite-record-cache 2\n"
# Libraries whose versions change what a record gives; stood for by their installed files,
# so that a cache hit imports none of them.
_LIBRARIES = ("pydantic", "pydantic_core", "langcodes", "language_data", "ruamel.yaml", "yaml")


def enabled() -> bool:
    return not os.environ.get("ARCHCITE_NO_CACHE")


def cache_dir() -> Path:
    # The XDG base directory spec: a relative $XDG_CACHE_HOME is invalid and is ignored.
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "archcite" / "records"


def load(path: Path, data: bytes) -> Document | None:
    """The document cached for the record file ``path`` holding ``data``; None on a miss."""
    body = _read(path, data, ".pickle")
    if body is None:
        return None
    from .models import Document

    try:
        document = _unpickler()(body).load()
    except Exception:  # a damaged or foreign cache file is a miss, whatever it holds
        return None
    return document if isinstance(document, Document) else None


def store(path: Path, data: bytes, document: Document) -> None:
    """Keep ``document`` as what the record file ``path`` holding ``data`` gives."""
    if not enabled():
        return  # not pickled for nothing
    # pickle is imported here, not with the module: a cached `cite` reads JSON only.
    import pickle

    _write(path, data, ".pickle", pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))


def load_citations(path: Path, data: bytes) -> dict[str, Any] | None:
    """The citation data (``archcite.cite.citation_data``) cached for the record file
    ``path`` holding ``data``; None on a miss."""
    body = _read(path, data, ".json")
    if body is None:
        return None
    try:
        cached = json.loads(body)
    except ValueError:
        return None
    return cached if isinstance(cached, dict) else None


def store_citations(path: Path, data: bytes, citations: dict[str, Any]) -> None:
    _write(path, data, ".json", json.dumps(citations, ensure_ascii=False).encode("utf-8"))


def _read(path: Path, data: bytes, suffix: str) -> bytes | None:
    if not enabled():
        return None
    try:
        cached = _entry(path, suffix).read_bytes()
        head = _MAGIC + _key(path, data)
    except OSError:
        return None
    return cached[len(head) :] if cached.startswith(head) else None


def _write(path: Path, data: bytes, suffix: str, body: bytes) -> None:
    """Best effort: a cache that cannot be written (read-only home, full disk) changes
    nothing but speed."""
    if not enabled():
        return
    entry = _entry(path, suffix)
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp.write_bytes(_MAGIC + _key(path, data) + body)
        os.replace(temp, entry)  # atomic: a concurrent reader sees the old entry or the new one
    except OSError:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass  # the folder itself could not be made: there is no temp file


def _entry(path: Path, suffix: str) -> Path:
    """One cache file per record file and kind, so the cache grows with the records, not
    with their edits."""
    return cache_dir() / (hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:32] + suffix)


def _key(path: Path, data: bytes) -> bytes:
    digest = hashlib.sha256(_fingerprint())
    digest.update(os.fsencode(path.resolve()) + b"\0")
    digest.update(data)
    return digest.hexdigest().encode("ascii") + b"\n"


@lru_cache(maxsize=1)
def _fingerprint() -> bytes:
    """What cached entries depend on besides the record: a new archcite (even an edit of
    any of its modules), Python, Pydantic, langcodes, ruamel.yaml or PyYAML makes every entry
    a miss.  The libraries are not imported here (that is what the cache saves): their
    installed files stand for their versions."""
    digest = hashlib.sha256(f"{sys.version}\0".encode())
    here = Path(__file__).parent
    for module in sorted(here.rglob("*.py")):
        digest.update(f"{module.relative_to(here)}\0".encode() + module.read_bytes())
    for package in _LIBRARIES:
        origin = _installed_file(package)
        if origin is not None:
            stat = os.stat(origin)
            digest.update(f"{package}\0{origin}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.digest()


def _installed_file(package: str) -> str | None:
    """The ``__init__.py`` of an installed package, found without importing it or its
    parents (``importlib.util.find_spec`` would import ``ruamel`` to find ``ruamel.yaml``)."""
    from importlib.machinery import PathFinder

    search: list[str] | None = None
    spec = None
    for part in package.split("."):
        spec = PathFinder.find_spec(part, search)
        if spec is None:
            return None
        search = list(spec.submodule_search_locations or [])
    return spec.origin if spec is not None and spec.has_location else None


@lru_cache(maxsize=1)
def _unpickler() -> Callable[[bytes], pickle.Unpickler]:
    """The unpickler of cache files, made when ``show`` first reads one."""
    import io
    import pickle

    class Unpickler(pickle.Unpickler):
        """Unpickles archcite's models and plain data, nothing else."""

        def __init__(self, data: bytes) -> None:
            super().__init__(io.BytesIO(data))

        def find_class(self, module: str, name: str) -> Any:
            from pydantic import BaseModel

            from . import models

            value = getattr(models, name, None) if module == models.__name__ else None
            if isinstance(value, type) and issubclass(value, BaseModel):
                return value
            raise pickle.UnpicklingError(f"{module}.{name} is not an archcite model")

    return Unpickler

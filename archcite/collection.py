"""The records folder: one YAML file per document, addressed by id or excerpt selector."""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import record_cache
from .errors import ArchciteError, ConflictError, RecordError, SelectorError
from .files import STDIN, TEMP_SUFFIX, decode, read_bytes, read_text, write_atomic, write_many_atomic
from .formats import FORMATS, Item
from .ids import RECORD_ID

if TYPE_CHECKING:
    # Not at run time: citing a cached record needs neither the models nor Pydantic.
    from .cite import Citable
    from .models import Document

SELECTOR = re.compile(r"^(?P<id>[^:\s]+)(?::(?P<excerpt>[^:\s]+))?$")
SCHEMA_FILE = "record.schema.json"


def default_records_dir() -> Path:
    """``$ARCHCITE_RECORDS``, else ``./records``."""
    return Path(os.environ.get("ARCHCITE_RECORDS") or "records")


# What a record file in a records folder is named: the record format's suffixes.
RECORD_SUFFIXES = FORMATS["yaml"].suffixes


def parse_selector(selector: str) -> tuple[str, str | None]:
    """'wcda-114978:p19-20' -> ('wcda-114978', 'p19-20').

        >>> parse_selector("wcda-114978:p19-20"), parse_selector("wcda-114978")
        (('wcda-114978', 'p19-20'), ('wcda-114978', None))
    """
    match = SELECTOR.match(selector.strip())
    if not match or not RECORD_ID.match(match.group("id")):
        raise SelectorError(
            f"{selector!r} is not a selector; write a record id (wcda-114978) or id:excerpt (wcda-114978:p19-20)"
        )
    return match.group("id"), match.group("excerpt")


def _names_a_file(selector: str) -> bool:
    """A selector naming a record file to read on the fly, rather than a record id."""
    path = Path(selector)
    return bool(path.suffix) and path.is_file()


def file_selector(selector: str) -> tuple[str, str | None] | None:
    """A selector naming a record file read on the fly: ``("seed.txt", None)`` for the whole
    file, ``("seed.txt", "p19-20")`` for ``seed.txt:p19-20``; None for a record id."""
    if _names_a_file(selector):
        return selector, None
    path, colon, excerpt_id = selector.rpartition(":")
    if colon and excerpt_id and _names_a_file(path):
        return path, excerpt_id
    return None


def _check_names_no_missing_file(selector: str, collection: Collection) -> None:
    """For a selector that is no file selector but can only mean a file (it holds a '/', or
    ends in a record file's suffix and no record has that id), the error that says what is
    wrong with the file, rather than "no record" or "not a selector"."""
    from .formats import format_for_path, readable_suffixes

    head, colon, excerpt_id = selector.rpartition(":")
    path = head if colon and "/" not in excerpt_id else selector
    candidate = Path(path)
    if "/" in path or os.sep in path:
        if candidate.is_dir():
            raise SelectorError("is a folder; name a record file in it, or a record id", path)
    elif candidate.suffix.lower() not in readable_suffixes() or (RECORD_ID.match(path) and collection.path_for(path).exists()):
        return  # a record id, or what may be one
    if candidate.is_file():
        format_for_path(path)  # raises: no suffix archcite reads
    raise SelectorError("no such file" + ("" if "/" in path else f", nor a record {path!r} in {collection.folder}"), path)


def file_items(documents: list[Document], source: str, excerpt_id: str | None, excerpts: bool = False) -> list[Item]:
    """What a file selector chooses among the documents read from ``source``: all of them
    (and, with ``excerpts``, each one's excerpts), or the one excerpt named."""
    if excerpt_id is None:
        return [Item(d, e) for d in documents for e in [None, *(d.excerpts if excerpts else [])]]
    if len(documents) != 1:
        having = [f"{d.id}:{excerpt_id}" for d in documents if any(e.id == excerpt_id for e in d.excerpts)]
        which = f" ({', '.join(having)})" if having else ""
        how = "archcite import -" if source == STDIN else "archcite import"
        raise SelectorError(
            f"it holds {len(documents)} documents, so {excerpt_id!r} does not say which one's excerpt{which}; "
            f"import it ({how}), then select the excerpt by record id",
            source,
        )
    try:
        excerpt = documents[0].excerpt(excerpt_id)
    except SelectorError as exc:
        raise exc.located(source) from None
    return [Item(documents[0], excerpt)]


@dataclass(frozen=True)
class Difference:
    """What replacing a record file's document with a new one would do, told by the
    record's top-level fields: enough for a person to see that an import would, say,
    drop a record's translation and excerpts, without a diff of the whole record."""

    path: Path
    record_id: str
    lost: tuple[str, ...] = ()  # set in the record, missing from the new document
    changed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    unreadable: str | None = None  # why the record file could not be read, if it could not
    line: int | None = None  # where in the record file, for an unreadable one

    @classmethod
    def between(cls, path: Path, old: Document, new: Document) -> Difference:
        before = old.model_dump(mode="json", exclude_defaults=True)
        after = new.model_dump(mode="json", exclude_defaults=True)
        fields = list(type(old).model_fields)  # the record's own order, not the dumps'
        return cls(
            path,
            new.id,
            lost=tuple(f for f in fields if f in before and f not in after),
            changed=tuple(f for f in fields if f in before and f in after and before[f] != after[f]),
            added=tuple(f for f in fields if f in after and f not in before),
        )

    def brief(self) -> str:
        """'would lose translation, excerpts; change title' (after "the record ...")."""
        if self.unreadable is not None:
            return f"cannot be read ({self.unreadable})"
        parts = [
            f"{verb} {', '.join(fields)}"
            for verb, fields in (("lose", self.lost), ("change", self.changed), ("gain", self.added))
            if fields
        ]
        # Documents that differ only where the dumps do not look (a value set to its
        # default) still differ: said plainly rather than as an empty list.
        return "would " + ("; ".join(parts) if parts else "change in detail")


@dataclass(frozen=True)
class Stored:
    """A record file and the document it holds."""

    path: Path
    document: Document


class Collection:
    """A folder of record files.  Reads lazily; writes atomically and keeps hand edits.

        >>> records = Collection("records")                                  # doctest: +SKIP
        >>> records.select("wcda-114978:p19-20").excerpt.pages                # doctest: +SKIP
        '19-20'
        >>> [document.id for document in records]                            # doctest: +SKIP
        ['wcda-114978']
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_records_dir()
        self._lock_depth = 0  # re-entrant within one Collection: update() calls add()

    def path_for(self, record_id: str) -> Path:
        if not RECORD_ID.match(record_id):
            raise SelectorError(f"{record_id!r} is not a safe record id")
        return self.folder / f"{record_id}.yaml"

    def files(self) -> list[Path]:
        """The record files, by name.  A folder that is not there is an error, not an empty
        collection: a mistyped --records would otherwise read as "no records, all valid"."""
        if not self.folder.exists():
            raise ArchciteError(
                "no such records folder; create it, or point --records or $ARCHCITE_RECORDS at your records",
                self._shown_folder(),
            )
        if not self.folder.is_dir():
            raise self._not_a_folder()
        return sorted(p for p in self.folder.iterdir() if p.suffix in RECORD_SUFFIXES and not p.name.startswith("."))

    def _not_a_folder(self) -> ArchciteError:
        return ArchciteError("the records folder is not a folder; point --records or $ARCHCITE_RECORDS at a folder", self.folder)

    def _shown_folder(self) -> Path:
        """The folder as the user can find it: a relative one (the default ``records``) means
        nothing without the folder it was looked for in."""
        return self.folder if self.folder.is_absolute() else Path.cwd() / self.folder

    def load(self, path: Path) -> Document:
        return self._load_text(path, read_text(path))

    def _load_text(self, path: Path, text: str) -> Document:
        # Imported here: ruamel.yaml is not needed to list ids, nor when the cache has the document.
        from .formats import yaml_record
        from .gcpause import collector_paused

        with collector_paused():
            document = yaml_record.load(text, str(path))
        if document.id != path.stem:
            raise RecordError(
                f"the file name says {path.stem!r} but the record's id is {document.id!r}; rename one of them",
                path,
                yaml_record.line_of(yaml_record.parse(read_text(path), str(path)), ["id"]),
            )
        return document

    def __iter__(self) -> Iterator[Document]:
        for path in self.files():
            yield self.load(path)

    def ids(self) -> list[str]:
        return [p.stem for p in self.files()]

    def get(self, record_id: str) -> Document:
        path = self.path_for(record_id)
        if not path.exists():
            raise SelectorError(f"no record {record_id!r} in {self.folder}{self._hint(record_id)}")
        return self._load_cached(path)

    def _hint(self, record_id: str) -> str:
        """The ids a mistyped one may have meant; else the first few there are."""
        import difflib

        known = self.ids()
        close = difflib.get_close_matches(record_id, known, n=3, cutoff=0.8)
        if close:
            return f" (did you mean {' or '.join(close)}?)"
        return f" (known: {', '.join(known[:5])}{', …' if len(known) > 5 else ''})" if known else ""

    def _load_cached(self, path: Path, data: bytes | None = None) -> Document:
        """``load``, through the record cache (archcite.record_cache): one record read by id
        is what ``cite`` and ``show`` do, where start-up time is most of the time.  Reading
        every record (``list``, ``validate``, ``export``) does not fill the cache."""
        if data is None:
            data = read_bytes(path)
        document = record_cache.load(path, data)
        if document is None:
            document = self._load_text(path, decode(data, path))
            record_cache.store(path, data, document)
        return document

    def select(self, selector: str) -> Item:
        """A selector -> the document, or one excerpt of it."""
        record_id, excerpt_id = parse_selector(selector)
        document = self.get(record_id)
        return Item(document, document.excerpt(excerpt_id) if excerpt_id else None)

    def citable(self, selector: str) -> Citable:
        """``select``, as citing needs it.  From the record cache when it has the record:
        then neither the record nor the models are read."""
        from .cite import Citable, citation_data

        record_id, excerpt_id = parse_selector(selector)
        path = self.path_for(record_id)
        if not path.is_file():
            return Citable.of(self.select(selector))  # the error that says what is missing
        data = read_bytes(path)
        cached = record_cache.load_citations(path, data)
        citable = Citable.from_citation_data(cached, excerpt_id) if cached is not None else None
        if citable is not None:
            return citable
        document = self._load_cached(path, data)
        item = Item(document, document.excerpt(excerpt_id) if excerpt_id else None)  # (a missing excerpt's error)
        if not record_cache.enabled():
            return Citable.of(item)
        computed = citation_data(document)  # holds this item's too: not converted twice
        record_cache.store_citations(path, data, computed)
        citable = Citable.from_citation_data(computed, excerpt_id)
        assert citable is not None  # citation_data has every excerpt
        return citable

    def citables(self, selectors: list[str]) -> list[Citable]:
        """``items(selectors)``, as citing needs them (see ``citable``)."""
        from .cite import Citable

        chosen: list[Citable] = []
        for selector in selectors:
            if file_selector(selector):
                chosen += [Citable.of(item) for item in self.items([selector])]
            else:
                _check_names_no_missing_file(selector, self)
                chosen.append(self.citable(selector))
        return chosen

    def items(self, selectors: Sequence[str] | None = None, excerpts: bool = False) -> list[Item]:
        """Resolve selectors (ids, id:excerpt, or paths of record files read on the fly, alone
        or with an excerpt: seed.txt:p19-20); no selectors (none, or an empty list) means
        every record.  ``excerpts`` adds each document's excerpts."""
        documents: list[Item] = []
        if not selectors:
            documents = [Item(d) for d in self]
        for selector in selectors or ():
            named = file_selector(selector)
            if named:
                from .formats import format_for_path

                path, excerpt_id = named
                documents += file_items(format_for_path(path).load(read_text(path), path), path, excerpt_id)
            else:
                _check_names_no_missing_file(selector, self)
                documents.append(self.select(selector))
        if not excerpts:
            return documents
        result: list[Item] = []
        for item in documents:
            result.append(item)
            if item.excerpt is None:
                result += [Item(item.document, e) for e in item.document.excerpts]
        return result

    def validate(self) -> list[ArchciteError]:
        """Every problem in the folder, one error each; an empty list when all is well."""
        problems: list[ArchciteError] = []
        for path in self.files():
            try:
                self.load(path)
            except ArchciteError as exc:
                problems += exc.problems
        return problems

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder's write lock: other processes' writes wait until it is released."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        fd = self._open_folder()
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError as exc:  # e.g. a network file system without locks
                raise ArchciteError(f"cannot lock the records folder: {exc.strerror or exc}", self.folder) from None
            self._lock_depth = 1
            try:
                self._remove_stale_temps()
                yield
            finally:
                self._lock_depth = 0
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _open_folder(self) -> int:
        """The records folder, opened to be locked; made if it is not there yet (a first
        import), though not the folders above it, which a typo in --records would leave."""
        if self.folder.exists() and not self.folder.is_dir():
            raise self._not_a_folder()
        if not self.folder.parent.is_dir():
            raise ArchciteError(
                f"cannot make the records folder: no folder {str(self.folder.parent)!r}; create it first", self.folder
            )
        try:
            self.folder.mkdir(exist_ok=True)
            # flock on the folder itself rather than on a lock file in it: no extra file
            # to list, ignore or clean up.  The OS releases it when the holder dies, so a
            # killed import cannot leave the folder locked.
            return os.open(self.folder, os.O_RDONLY)
        except OSError as exc:
            raise ArchciteError(f"cannot use the records folder: {exc.strerror or exc}", self.folder) from None

    def _remove_stale_temps(self) -> None:
        """Temp files of writers that were killed mid-write.  Every writer to the
        folder holds the lock, so with the lock held no temp file is in use."""
        for stale in self.folder.glob(f".*{TEMP_SUFFIX}"):
            stale.unlink(missing_ok=True)

    def add(self, document: Document) -> tuple[Path, bool]:
        """Write a document; return its path and whether the file changed.

        An existing file is updated in place, keeping its comments and layout
        where the values are the same.
        """
        return self.add_all([document])[0]

    def add_all(self, documents: Sequence[Document], *, replace: bool = True) -> list[tuple[Path, bool]]:
        """Write several documents, all or none: if writing one fails, the files
        written before it get their old content back.  Returns (path, changed) each.

        With ``replace=False`` a record file whose document differs from the new one (or
        that cannot be read) is not replaced: ``ConflictError`` lists every such file,
        with what replacing it would do, and nothing is written."""
        with self.lock():
            results: list[tuple[Path, bool]] = []
            writes: dict[Path, str] = {}
            differences: list[Difference] = []
            for document in documents:
                path, text, difference = self._new_text(document, replace)
                if difference is not None:
                    differences.append(difference)
                elif text is not None:
                    writes[path] = text
                results.append((path, text is not None))
            if differences:
                raise ConflictError(differences)
            if writes:
                write_many_atomic(writes)
                self._write_schema()
            return results

    def update(self, record_id: str, change: Callable[[Document], Document]) -> tuple[Path, bool]:
        """Read a record, change it and write it back with no other writer in between,
        so two processes updating one record both see their change kept."""
        with self.lock():
            return self.add(change(self.get(record_id)))

    def _new_text(self, document: Document, replace: bool = True) -> tuple[Path, str | None, Difference | None]:
        """The record file's new text, or None when the file already holds the document;
        without ``replace``, what replacing a different record would do, instead of a text."""
        path = self.path_for(document.id)
        from .formats import yaml_record

        if not path.exists():
            return path, yaml_record.dump_document(document), None
        old_text = read_text(path)
        try:
            old = self._load_text(path, old_text)
        except ArchciteError as exc:
            if not replace:
                return path, None, Difference(path, document.id, unreadable=exc.message, line=exc.line)
            # A broken file is overwritten, keeping what comments it can.
        else:
            if old == document:
                return path, None, None
            if not replace:
                return path, None, Difference.between(path, old, document)
        return path, yaml_record.update(old_text, document, str(path)), None

    def _write_schema(self) -> None:
        """Put the record JSON Schema beside the records, where editors look for it."""
        from .schema import record_schema

        text = json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
        path = self.folder / SCHEMA_FILE
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text)

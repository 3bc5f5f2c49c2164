"""CSL-JSON, both ways: the bibliography data of Zotero, citeproc-js and pandoc.

One CSL item per document and one per excerpt (id ``wcda-114978:p19-20``).
What goes where is ``archcite.csl.ROWS``; this module only walks that table.
Reading merges excerpt items into their document, reads foreign files (a Zotero
export) for what they hold, and reports what it ignored:
``load_with_notes(text, path) -> (documents, notes)``.

The file is a JSON list of items, as CSL-JSON is defined; a single item object
is read too, as a list of one, with a note.  Output puts one item per line: the
C JSON encoder does not indent (Python's indenting encoder is four times
slower), and one line per item still diffs item by item.  Each line is what
``json.dumps(item, ensure_ascii=False)`` writes; msgspec writes the same bytes
in about half the time (see ``_encoder``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from ..csl import CSL_TYPE, DATA, REQUIRED, ROWS, Row, WrongType, as_is, compact, custom_key, json_type, short_title
from ..errors import RecordError
from ..ids import RECORD_ID
from ..models import Document, Excerpt
from . import ExportOptions, Item

# --- writing -----------------------------------------------------------------


def _value(row: Row, document: Document, excerpt: Excerpt | None) -> Any:
    """The model value a row maps, or None when it (or its section) is not there."""
    path = row.path
    if len(path) == 1:
        return getattr(document, path[0])
    owner = excerpt if path[0] == "excerpt" else getattr(document, path[0])
    return None if owner is None else getattr(owner, path[1])


def note_text(document: Document) -> str | None:
    """The sentence a CSL item shows people for what CSL has no variable for."""
    sentences = []
    fields = document.__dict__  # as in archcite.csl's _FIELDS_NOTE
    translation, funding = fields["translation"], fields["funding"]
    project = translation.__dict__["translated_for"] if translation is not None else None
    if project:
        sentences.append(f"Translated for {project}.")
    credit = funding.__dict__["credit"] if funding is not None else None
    if credit:
        sentences.append(credit if credit.endswith((".", "!", "?")) else credit + ".")
    return " ".join(sentences) or None


# What each kind of item writes, as one function per kind, written from the table
# when this module is imported (as dataclasses writes __init__).  Export runs at tens
# of thousands of items a second, and the loop over the table this replaces spent
# about a third of an item's build on walking it: unpacking each row's plan, testing
# for a default, a codec and an exact copy that most rows do not have.  Here each row
# is the few statements it needs.  A model's fields are read from its __dict__: each
# attribute of a pydantic model goes through BaseModel.__getattr__'s hook (three type
# look-ups), a dict subscript does not.
_Fill = Callable[[dict[str, Any], dict[str, Any], Document, Excerpt | None], None]


def _fill_source(for_excerpt: bool, own: bool) -> tuple[str, dict[str, Any]]:
    """The text of the function that writes an item's variables from the excerpt (own)
    or from the document, and the names it uses besides its arguments."""
    namespace: dict[str, Any] = {"compact": compact}
    lines = ["def fill(out, custom, document, excerpt):"]
    if not own:
        lines.append("    fields = document.__dict__")
    rows = [r for r in ROWS if r.target(for_excerpt) is not None and (r.path[0] == "excerpt") == own]
    for section, group in groupby(rows, key=lambda r: r.path[0] if len(r.path) == 2 else None):
        indent = "    "
        if section == "excerpt":
            lines.append("    owner = excerpt.__dict__")
        elif section is not None:
            lines += [f"    owner = fields[{section!r}]", "    if owner is not None:", "        owner = owner.__dict__"]
            indent = "        "
        for row in group:
            lines += [indent + line for line in _row_source(row, for_excerpt, section is None, namespace)]
    return "\n".join(lines) + "\n", namespace


def _row_source(row: Row, for_excerpt: bool, in_document: bool, namespace: dict[str, Any]) -> list[str]:
    number = len(namespace)
    target = row.target(for_excerpt) or ""
    key = custom_key(target)
    default = row.default
    if default is None or default is REQUIRED or row.always:
        test = "value is not None"
    elif type(default) in (list, str, bool) and not default:
        test = "value"  # the field holds its type (pydantic checked it): empty is the default
    else:
        namespace[f"default_{number}"] = default
        test = f"value is not None and value != default_{number}"
    if row.codec.dump is as_is:
        csl_value = "value"
    elif row.codec is DATA:
        csl_value = "compact(value)"  # not through DATA's lambda: a Python call less
    else:
        namespace[f"dump_{number}"] = row.codec.dump
        csl_value = f"dump_{number}(value, document)"
    lines = [f"value = {'fields' if in_document else 'owner'}[{row.path[-1]!r}]", f"if {test}:"]
    if key is not None:
        return lines + [f"    custom[{key!r}] = {csl_value}"]
    lines.append(f"    out[{target!r}] = {csl_value}")
    if row.codec.exact is not None:
        namespace[f"exact_{number}"] = row.codec.exact
        lines += [f"    if not exact_{number}(value):", f"        custom[{target!r}] = compact(value)"]
    return lines


def _compile(for_excerpt: bool, own: bool) -> _Fill:
    source, namespace = _fill_source(for_excerpt, own)
    exec(compile(source, f"<archcite.formats.csl_json fill, excerpt={for_excerpt}, own={own}>", "exec"), namespace)
    fill: _Fill = namespace["fill"]
    return fill


# A document's item; an excerpt's item: the excerpt's own rows, and the rows of its document.
_FILL_DOCUMENT, _FILL_EXCERPT, _FILL_SHARED = _compile(False, False), _compile(True, True), _compile(True, False)


def to_csl(item: Item) -> dict[str, Any]:
    """One CSL item for a document, or for one excerpt of it."""
    return _item(item, _Shared())


class _Shared:
    """What a document gives each of its excerpts' items (translator, original
    publication, archive...), worked out once per document, not once per excerpt.

    Only the document last seen is kept: an export lists a document's excerpts
    together, and a stream must not hold every document it has passed.  The
    document itself is held, and compared by identity: an id() alone could be
    reused by the next document once this one is freed."""

    def __init__(self) -> None:
        self.document: Document | None = None
        self.variables: dict[str, Any] = {}
        self.custom: dict[str, Any] = {}

    def of(self, document: Document, excerpt: Excerpt) -> tuple[dict[str, Any], dict[str, Any]]:
        if document is not self.document:
            self.document, self.variables, self.custom = document, {}, {}
            _FILL_SHARED(self.variables, self.custom, document, excerpt)
        return self.variables, self.custom


def _item(item: Item, shared: _Shared) -> dict[str, Any]:
    document, excerpt = item.document, item.excerpt
    out: dict[str, Any] = {"id": item.id, "type": CSL_TYPE}
    custom: dict[str, Any] = {}
    if excerpt is None:
        _FILL_DOCUMENT(out, custom, document, None)
    else:
        custom["parent"] = document.id
        _FILL_EXCERPT(out, custom, document, excerpt)
        variables, from_document = shared.of(document, excerpt)
        out.update(variables)
        custom.update(from_document)
    short = short_title(out.get("title", ""))
    if short:
        out["title-short"] = short
    note = note_text(document)
    if note:
        out["note"] = note
    if custom:
        out["custom"] = custom
    return out


def dump(items: Iterable[Item], options: ExportOptions) -> str:
    """The registry's entry point: a CSL-JSON list, one item per line."""
    return "".join(dump_iter(items, options))


def _encoder(options: ExportOptions) -> Callable[[Any], str]:
    """One item as the JSON text of ``json.dumps(item, ensure_ascii=options.ascii)``.

    Without ``ascii``, msgspec writes it: its compact output, spaced by its own
    formatter (``indent=0``: one line, ", " and ": " between items), is
    json.dumps's, byte for byte, for every value an item holds (strings, ints of
    any size, true/false/null, lists, objects; tests/test_csl_json.py checks
    random JSON trees), in half json's time on items' mostly non-ASCII text.
    An item holds no floats, where the two differ (1e+16 vs 1e16).  A value
    msgspec refuses (a str subclass, a lone surrogate) goes to json, which
    writes or refuses it as it always did.  msgspec cannot escape to ASCII:
    json writes ``ascii``'s output.
    """
    encode = json.JSONEncoder(ensure_ascii=options.ascii, check_circular=False).encode
    if options.ascii:
        return encode
    import msgspec  # here, not at the top: cite() needs this module's to_csl, not its encoder

    compact_json = msgspec.json.Encoder().encode
    spaced = msgspec.json.format

    def fast_encode(item: Any) -> str:
        try:
            return spaced(compact_json(item), indent=0).decode()
        except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
            return encode(item)

    return fast_encode


def dump_iter(items: Iterable[Item], options: ExportOptions) -> Iterator[str]:
    """``dump``'s text in pieces, one item per piece, reading the items one at a time."""
    encode = _encoder(options)
    shared = _Shared()
    opening = "[\n"
    for item in items:
        yield opening + encode(_item(item, shared))
        opening = ",\n"
    # "[\n" still unwritten: there were no items.
    yield "[]\n" if opening == "[\n" else "\n]\n"


def losses(item: Item) -> list[str]:
    """The facts of an item that CSL processors will not see: those kept only in ``custom``."""
    for_excerpt = item.excerpt is not None
    lost = []
    for row in ROWS:
        target = row.target(for_excerpt)
        if target is None:
            continue
        value = _value(row, item.document, item.excerpt)
        if value is None or (value == row.default and not row.always):
            continue
        key = custom_key(target)
        if key is not None:
            lost.append(f"{row.field} (kept in custom.{key})")
        elif row.codec.exact is not None and not row.codec.exact(value):
            lost.append(f"{row.field}: the exact value (kept in custom.{target}); {target} has the nearest CSL form")
    return lost


# --- reading -----------------------------------------------------------------


@dataclass
class _Item:
    """One CSL item as read: where it was, and the data for the models."""

    index: int
    id: str
    data: dict[str, Any]  # the document's fields, nested as the model nests them
    parent: str | None = None  # the document's id, for an excerpt's item
    excerpt: Excerpt | None = None
    speakers: list[Any] = field(default_factory=list)  # an excerpt's speakers, as people
    note: str | None = None

    @property
    def label(self) -> str:
        return f"item {self.index + 1} ({self.id})"


class _Reader:
    """Reads one CSL-JSON text; problems with the input raise RecordError, what
    it ignores or assumes becomes a note."""

    def __init__(self, text: str, path: str | None) -> None:
        self.text = text
        self.path = path
        self._notes: list[tuple[int, str]] = []  # (item index, note), so notes come out item by item

    def note(self, index: int, text: str) -> None:
        self._notes.append((index, text))

    @property
    def notes(self) -> list[str]:
        """The notes, item by item, each after the file's name as BibTeX's notes are, so
        that whoever prints them need not know which format put the name in."""
        where = f"{self.path}: " if self.path else ""
        return [where + text for _, text in sorted(self._notes, key=lambda pair: pair[0])]

    def error(self, message: str, index: int | None = None) -> RecordError:
        line = _item_line(self.text, index) if index is not None else None
        return RecordError(message, self.path, line)

    def read(self) -> list[Document]:
        items = [self._item(index, raw) for index, raw in enumerate(self._parse())]
        return self._documents(items)

    def _parse(self) -> list[Any]:
        try:
            value = json.loads(self.text.lstrip("\ufeff"))
        except json.JSONDecodeError as exc:
            raise RecordError(f"not JSON: {exc.msg} (column {exc.colno})", self.path, exc.lineno) from None
        except RecursionError:
            raise RecordError("not JSON this reader can take: nested too deep", self.path) from None
        except ValueError as exc:
            # Python refuses to read integers of more than 4,300 digits (CVE-2020-10735).
            raise RecordError(
                "not JSON this reader can take: a number has more than 4,300 digits; CSL-JSON numbers are short", self.path
            ) from None
        if isinstance(value, dict):
            self.note(-1, "the file holds one CSL item, not a list of items; read it as a list of one")
            return [value]
        if not isinstance(value, list):
            raise RecordError(f"CSL-JSON is a list of items, not {json_type(value)}", self.path, 1)
        return value

    # --- one item ---

    def _item(self, index: int, raw: Any) -> _Item:
        item = self._identify(index, raw)
        for_excerpt = item.parent is not None
        custom = raw.get("custom", {})
        excerpt_data: dict[str, Any] = {"id": item.id[len(item.parent) + 1 :]} if item.parent else {}
        known, known_custom = {"id", "type", "custom", "note", "title-short"}, {"parent"}
        for row in ROWS:
            target = row.target(for_excerpt)
            if target is None:
                continue
            key = custom_key(target)
            if key is None:
                known.add(target)
                known_custom.add(target)  # where an exact copy of the variable is kept
            else:
                known_custom.add(key)
            source = raw if key is None else custom
            if (key or target) not in source:
                continue
            value = self._read_row(item, row, target, source[key or target], custom)
            if value is _MISSING:
                continue
            if row.path[0] == "excerpt":
                excerpt_data[row.path[1]] = value
            else:
                _put(item.data, row.path, value)
        if for_excerpt:
            item.speakers = list(excerpt_data.pop("speakers", []))
            excerpt_data["speakers"] = [_speaker_name(s) for s in item.speakers]
            if "title" not in excerpt_data:
                raise self.error(f"{item.label}: the excerpt's item has no title", index)
            item.excerpt = self._validate(Excerpt, excerpt_data, item)
        elif "title" not in item.data:
            raise self.error(f"{item.label}: the item has no title", index)
        item.note = raw.get("note")
        if item.note is not None and not isinstance(item.note, str):
            raise self.error(f"{item.label}: note must be a string, not {json_type(item.note)}", index)
        ignored = sorted(k for k in raw if k not in known) + sorted(f"custom.{k}" for k in custom if k not in known_custom)
        if ignored:
            them = "them" if len(ignored) > 1 else "it"
            self.note(index, f"{item.label}: ignored {', '.join(ignored)}: archcite has no field for {them}")
        return item

    def _identify(self, index: int, raw: Any) -> _Item:
        """The item's id, and its document's when it is an excerpt's item."""
        where = f"item {index + 1}"
        if not isinstance(raw, dict):
            raise self.error(f"{where}: a CSL item is an object, not {json_type(raw)}", index)
        item_id = raw.get("id")
        if item_id is None or item_id == "":
            raise self.error(f"{where}: the item has no id", index)
        if not isinstance(item_id, (str, int)) or isinstance(item_id, bool):
            raise self.error(f"{where}: id must be a string or a number, not {json_type(item_id)}", index)
        item = _Item(index, str(item_id), {})
        custom = raw.get("custom", {})
        if not isinstance(custom, dict):
            raise self.error(f"{item.label}: custom must be an object, not {json_type(custom)}", index)
        parent = custom.get("parent")
        if parent is not None:
            if not isinstance(parent, str):
                raise self.error(f"{item.label}: custom.parent must be a string, not {json_type(parent)}", index)
            if not item.id.startswith(f"{parent}:"):
                raise self.error(f"{item.label}: an excerpt's item has the id '{parent}:<excerpt id>'", index)
            item.parent = parent
        return item

    def _read_row(self, item: _Item, row: Row, target: str, csl_value: Any, custom: dict[str, Any]) -> Any:
        """The model data for one variable; _MISSING (with a note) when a foreign value cannot be read."""
        try:
            value = row.codec.load(csl_value)
        except WrongType as exc:
            raise self.error(f"{item.label}: {target}: {exc}", item.index) from None
        except ValueError as exc:
            if target.startswith("custom."):
                raise self.error(f"{item.label}: {target}: {_brief(exc)}", item.index) from None
            self.note(item.index, f"{item.label}: ignored {target}: {_brief(exc)}")
            return _MISSING
        if row.codec.leftovers is not None and (unused := row.codec.leftovers(csl_value)):
            self.note(item.index, f"{item.label}: ignored {', '.join(f'{target}.{k}' for k in unused)}")
        if target in custom and not target.startswith("custom."):
            value = self._exact_copy(item, row, target, custom[target], csl_value, value)
        return value

    def _exact_copy(self, item: _Item, row: Row, target: str, copy: Any, csl_value: Any, loaded: Any) -> Any:
        """The exact value kept in custom.<target>, as long as it still agrees with the variable."""
        try:
            value = row.codec.adapter.validate_python(copy)
        except ValidationError:
            self.note(item.index, f"{item.label}: ignored custom.{target}: not a valid value")
            return loaded
        if row.codec.dump(value, None) != csl_value:
            self.note(item.index, f"{item.label}: ignored custom.{target}: {target} was changed after it was written")
            return loaded
        return value

    def _validate(self, model: type[BaseModel], data: dict[str, Any], item: _Item) -> Any:
        """Validate, leaving out (with a note) each CSL variable whose value the model refuses.

        A foreign file's free-text language or a URL without its scheme should not
        stop the import of everything else.  The id, the titles and archcite's own
        data in custom must be right: an error there is the file's error.
        """
        for_excerpt = item.parent is not None
        while True:
            if model is Document:
                for text in _complete_sections(data):
                    self.note(item.index, f"{item.label}: {text}")
            try:
                return model.model_validate(data)
            except ValidationError as exc:
                errors = exc.errors()
            dropped = False
            for error in errors:
                loc = tuple(str(p) for p in error["loc"])
                row = _row_at(("excerpt", *loc) if model is Excerpt else loc, for_excerpt)
                if row is None or not _droppable(row, for_excerpt):
                    continue
                if _drop(data, row.path[1:] if model is Excerpt else row.path):
                    self.note(item.index, f"{item.label}: ignored {row.target(for_excerpt)}: {_message(error)}")
                    dropped = True
            if not dropped:
                where = ".".join(str(p) for p in errors[0]["loc"])
                message = f"{where}: {_message(errors[0])}" if where else _message(errors[0])
                raise self.error(f"{item.label}: {message}", item.index)

    # --- items -> documents ---

    def _documents(self, items: list[_Item]) -> list[Document]:
        """Merge excerpts' items into their documents, in the order the documents first appear."""
        heads: dict[str, _Item | None] = {}  # document id -> its own item, if any
        parts: dict[str, list[_Item]] = {}
        seen: dict[str, _Item] = {}
        for item in items:
            key = item.parent or self._record_id(item)
            full_id = item.id if item.parent else key
            if full_id in seen:
                raise self.error(f"{item.label}: item {seen[full_id].index + 1} has the same id", item.index)
            seen[full_id] = item
            heads.setdefault(key, None)
            if item.parent is None:
                heads[key] = item
            else:
                parts.setdefault(key, []).append(item)
        documents = []
        for key, head in heads.items():
            own = parts.get(key, [])
            if head is None:
                head = self._rebuilt(key, own)
            self._merge_excerpts(head, own)
            head.data["id"] = key
            document = self._validate(Document, head.data, head)
            for item in [head, *own]:
                if item.note is not None and item.note != note_text(document):
                    self.note(item.index, f"{item.label}: ignored note: archcite keeps no free-text note")
            documents.append(document)
        return documents

    def _merge_excerpts(self, head: _Item, parts: list[_Item]) -> None:
        copies = head.data.get("excerpts", [])
        if not isinstance(copies, list):
            raise self.error(f"{head.label}: custom.excerpts must be a list, not {json_type(copies)}", head.index)
        # Keyed by excerpt id; a copy without a usable id keeps its place, and the model reports it.
        excerpts: dict[Any, Any] = {}
        for number, data in enumerate(copies):
            key = data.get("id") if isinstance(data, dict) else None
            excerpts[key if isinstance(key, str) else number] = data
        for part in parts:
            assert part.excerpt is not None
            excerpts[part.excerpt.id] = part.excerpt  # an excerpt's own item wins over the document's copy
        if excerpts:
            head.data["excerpts"] = list(excerpts.values())

    def _record_id(self, item: _Item) -> str:
        if RECORD_ID.match(item.id):
            return item.id
        from .record_text import slug

        # Zotero's ids are URIs that end in the item's key: the key is the useful part.
        new = slug(item.id.rstrip("/").rsplit("/", 1)[-1])
        self.note(item.index, f"{item.label}: not a record id; read it as {new!r}")
        return new

    def _rebuilt(self, key: str, parts: list[_Item]) -> _Item:
        """A document known only from its excerpts' items: their shared variables and speakers."""
        first = parts[0]
        if "title" not in first.data:
            raise self.error(f"{first.label}: no item for the document {key!r}, and no container-title", first.index)
        people: dict[Any, Any] = {}
        for part in parts:
            for speaker in part.speakers:
                people.setdefault(_speaker_name(speaker), speaker)
        data = dict(first.data)
        if people:
            data["people"] = list(people.values())
        self.note(first.index, f"{key}: no item for the document itself; rebuilt it from its excerpts' items")
        return _Item(first.index, key, data, parent=key)


_MISSING: Any = object()


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def _drop(data: dict[str, Any], path: tuple[str, ...]) -> bool:
    for part in path[:-1]:
        data = data.get(part, {})
    return data.pop(path[-1], _MISSING) is not _MISSING


def _row_at(loc: tuple[str, ...], for_excerpt: bool) -> Row | None:
    """The row whose field holds a validation error's location."""
    for row in ROWS:
        if loc[: len(row.path)] == row.path and row.target(for_excerpt) is not None:
            return row
    return None


def _droppable(row: Row, for_excerpt: bool) -> bool:
    """A CSL variable other than a title: leaving it out still leaves a record."""
    target = row.target(for_excerpt) or ""
    is_title = row.required and (len(row.path) == 1 or row.path[0] == "excerpt")
    return custom_key(target) is None and not is_title


def _complete_sections(data: dict[str, Any]) -> list[str]:
    """Sections a foreign item fills only in part: complete them, or leave them out; say which."""
    notes = []
    translation = data.get("translation")
    if translation == {}:
        del data["translation"]
    elif translation is not None and "language" not in translation:
        translation["language"] = "en"
        notes.append("a translator but no language: took the translation to be in English")
    repository = data.get("repository")
    if repository is not None and "name" not in repository:
        if repository.get("url"):
            repository["name"] = urlsplit(repository["url"]).hostname or repository["url"]
            notes.append(f"a URL but no source: named the digital archive {repository['name']!r}")
        else:
            del data["repository"]
            notes.append("ignored custom.repository_identifier: there is no source")
    for section, required, variable in (("original_publication", "title", "original-title"), ("archival_source", "archive", "archive")):
        values = data.get(section)
        if values is not None and required not in values:
            del data[section]
            targets = [r.document or "" for r in ROWS if r.path[0] == section and r.path[1] in values]
            notes.append(f"ignored {', '.join(targets)}: there is no {variable}")
    return notes


def _speaker_name(speaker: Any) -> Any:
    return speaker.get("name") if isinstance(speaker, dict) else speaker


def _message(error: Any) -> str:
    return str(error["msg"]).removeprefix("Value error, ")


def _brief(exc: Exception) -> str:
    return str(exc).splitlines()[0]


def _item_line(text: str, index: int) -> int | None:
    """The line the index-th item of the top-level JSON list starts on.

    Worked out only when an error needs it: json.loads keeps no positions, so
    the list is walked again with raw_decode, item by item.
    """
    position = _skip_space(text, 1 if text.startswith("\ufeff") else 0)
    if not text.startswith("[", position):
        return 1 if index == 0 else None  # a single item object
    position = _skip_space(text, position + 1)
    decoder = json.JSONDecoder()
    try:
        for _ in range(index):
            _, position = decoder.raw_decode(text, position)
            position = _skip_space(text, _skip_space(text, position) + 1)  # past the comma
    except (json.JSONDecodeError, RecursionError):
        return None
    return text.count("\n", 0, position) + 1


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def load_with_notes(text: str, path: str | None = None) -> tuple[list[Document], list[str]]:
    """CSL-JSON -> documents, and notes on what was ignored or assumed."""
    reader = _Reader(text, path)
    return reader.read(), reader.notes


def load_documents(text: str, path: str | None = None) -> list[Document]:
    """The registry's entry point; ``load_with_notes`` also says what was ignored."""
    return load_with_notes(text, path)[0]

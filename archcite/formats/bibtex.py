"""BibTeX and BibLaTeX, both ways.

One entry per item, keyed by the item's id: ``@book``/``@misc`` for a document
(``wcda-114978``), ``@inbook``/``@misc`` for an excerpt (``wcda-114978:p19-20``).
``FIELDS`` is the one table of what goes where; writing and reading, in both
dialects, walk it.

BibLaTeX (``biblatex``) is written for biber's default data model, which
``biber --tool --validate-datamodel`` checks without a warning:

- ``translator``, ``origlanguage`` and ``pages`` are only valid in entry types
  that require an ``author``.  A document translated from a book that names its
  authors is biblatex's own case of a translation: ``@book`` (``@inbook`` for an
  excerpt) with the book's authors as ``author``, the ``orig*`` fields for the
  book.  Any other document is a ``@misc``: its translators go into ``editor``
  with ``editortype = {translator}``, which biblatex prints "translated by".
- Every one of these types requires a date; an unknown one is written ``XXXX``,
  EDTF's unspecified year, which biber accepts and prints as no date.
- Nothing is lost: the verbatim field ``verba`` (valid in every type, printed
  by no standard style) holds ``{"archcite":1,"patch":{...}}``, a JSON merge
  patch (RFC 7386) from what the other fields read back as to the record.  It
  therefore holds what biblatex has no field for (people, excerpts, the
  archive's citation line, ...) and every value a field could not give back
  exactly; an edit made in a reference manager to a field the patch does not
  also hold survives the next import.

BibTeX (``bibtex``) is classic ``@misc`` that bibtex styles print: author,
title, howpublished, year, month, url, plus the rest of the provenance as
sentences in ``note``.  It has no ``verba``; ``losses()`` lists what an import
of it cannot give back.

Reading uses bibtexparser v2 for the syntax and this module for the rest:
``@string`` macros and ``#`` concatenation, LaTeX, and the table.  Entries
other tools wrote (Better BibTeX, Zotero) are read for what the table knows;
``load_with_notes`` says what was ignored.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, urlsplit

from pydantic import ValidationError

from ..dates import MONTH_NAMES, MONTHS
from ..errors import RecordError
from ..ids import EXCERPT_ID, RECORD_ID
from ..latex import from_latex, to_latex
from ..models import ArchivalSource, Document, Excerpt, FuzzyDate, Language, Person
from ..models import language_from_text
from . import ExportOptions, Item

if TYPE_CHECKING:
    from bibtexparser.model import ParsingFailedBlock

BIBTEX, BIBLATEX = "bibtex", "biblatex"
DOCUMENT, EXCERPT, ANY = "document", "excerpt", "any"
CARRIER = "verba"


# --- how a value is written and read -------------------------------------------


@dataclass(frozen=True)
class Kind:
    """``write(value, ascii)`` gives the field's text with its delimiters, or
    None when the value is missing or has no exact form in this kind;
    ``read(text)`` gives the record's (JSON) value, None for an empty field,
    and raises ValueError for text it cannot understand."""

    write: Callable[[Any, bool], str | None]
    read: Callable[[str], Any] | None = None


def _braced(latex: str) -> str | None:
    return "{" + latex + "}" if latex.strip() else None


def _read_text(text: str) -> str | None:
    return from_latex(text).strip() or None


# biber splits list fields (location, publisher, language) and name lists at " and ".
_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def _write_list_item(value: str, ascii: bool) -> str | None:
    latex = to_latex(value, ascii)
    return _braced("{" + latex + "}" if _AND.search(latex) else latex)


def _write_names(people: list[Person] | None, ascii: bool) -> str | None:
    names = []
    for person in people or ():
        family, given = person.name_parts()
        parts = [_name_part(family, ascii)] + ([_name_part(given, ascii)] if given else [])
        names.append(", ".join(parts))
    return _braced(" and ".join(names)) if names else None


def _name_part(part: str, ascii: bool) -> str:
    latex = to_latex(part, ascii)
    # Braces keep a comma or the word "and" inside the part, as one piece of one name;
    # biber (Perl) takes a bare "0" for an empty name and skips the whole entry.
    return "{" + latex + "}" if "," in latex or _AND.search(latex) or latex.strip() in ("", "0") else latex


def _read_names(text: str) -> list[dict[str, Any]] | None:
    people = []
    for name in _split_top(text, _NAME_SEPARATOR):
        parts = [from_latex(p).strip() for p in _split_top(name, _COMMA)]
        if not parts[0] or name.strip() == "others":
            continue
        if len(parts) == 1:
            person: dict[str, Any] = {"name": parts[0]}
        else:
            # "von Last, Jr, First": the suffix stays with the family name.
            family, given = ", ".join(parts[:-1]), parts[-1]
            person = {"name": f"{given} {family}".strip()}
            if Person(name=person["name"]).name_parts() != (family, given):
                person.update(family=family, given=given or None)
        people.append(person)
    return people or None


_NAME_SEPARATOR = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(",")
_BRACE = re.compile(r"(?<!\\)[{}]")  # bibtexparser's rule: a brace after a backslash is text


def _split_top(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split at the separators that are outside braces."""
    depth, start, pieces = 0, 0, []
    pattern = re.compile(rf"(?<!\\)[{{}}]|{separator.pattern}", separator.flags)
    for match in pattern.finditer(text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def _write_date(date: FuzzyDate | None, ascii: bool, required: bool = False) -> str | None:
    if date is None:
        # EDTF's "year unspecified": biber accepts it and prints no date.
        return "{XXXX}" if required else None
    return "{" + date.edtf() + "}"


def _read_date(text: str) -> str | None:
    text = from_latex(text).strip()
    if not text or text.upper() == "XXXX":
        return None
    return FuzzyDate.model_validate(text).edtf()


def _write_language(language: Language | None, ascii: bool) -> str | None:
    return _write_list_item(language.name or language.code, ascii) if language else None


# biblatex's and babel's names that langcodes does not know.
_BABEL = {"american": "en-US", "USenglish": "en-US", "british": "en-GB", "UKenglish": "en-GB",
          "ngerman": "de", "austrian": "de-AT", "naustrian": "de-AT", "nswissgerman": "de-CH",
          "brazilian": "pt-BR", "norsk": "nb", "nynorsk": "nn"}  # fmt: skip


def _read_language(text: str) -> dict[str, str] | None:
    name = _read_text(text)
    if name is None:
        return None
    if name in _BABEL:
        return {"code": _BABEL[name]}
    language = dict(language_from_text(name))
    if name.isascii() and name.islower():
        # A biblatex key such as "russian": the reader wants the English name.
        del language["name"]
    return language


# biber (Perl) takes a range starting with the page "0" for no range at all and warns.
_RANGE = re.compile(r"^(?!0(?:-|$))[0-9ivxlcdmIVXLCDM]+(?:-[0-9ivxlcdmIVXLCDM]+)?$")


def _write_pages(pages: str | None, ascii: bool) -> str | None:
    # biblatex's pages are a range ("19--20"); anything else goes to the note.
    return "{" + pages.replace("-", "--") + "}" if pages and _RANGE.match(pages) else None


def _read_pages(text: str) -> str | None:
    pages = _read_text(text)
    return re.sub(r"\s*(?:--?-?|–|—)\s*", "-", pages) if pages else None


def _write_uri(url: str | None, ascii: bool) -> str | None:
    if not url:
        return None
    # A URL is verbatim: no LaTeX escapes, so percent-encode what would end the field.
    safe = url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return "{" + (quote(safe, safe="".join(map(chr, range(0x21, 0x7F)))) if ascii else safe) + "}"


def _write_verbatim(value: str | None, ascii: bool) -> str | None:
    if not value or re.search(r"[{}\\\s]", value) or (ascii and not value.isascii()):
        return None
    return "{" + value + "}"


def _read_verbatim(text: str) -> str | None:
    return text.strip() or None


def _write_archive(source: ArchivalSource | None, ascii: bool) -> str | None:
    return _braced(to_latex(archive_text(source), ascii)) if source else None


def archive_text(source: ArchivalSource) -> str:
    return ", ".join(p for p in (source.archive, source.collection, source.location, source.place) if p)


def _read_archive(text: str) -> dict[str, str] | None:
    archive = _read_text(text)
    return {"archive": archive} if archive else None


_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _write_year(date: FuzzyDate | None, ascii: bool) -> str | None:
    return "{" + str(date.year) + "}" if date else None


def _write_month(date: FuzzyDate | None, ascii: bool) -> str | None:
    # The bare macro: bibtex styles print it in their own language.
    return _MONTH_MACROS[date.month - 1] if date and date.month else None


def _write_text(value: str | None, ascii: bool) -> str | None:
    return _braced(to_latex(value, ascii)) if value else None


def _write_title(value: str | None, ascii: bool) -> str | None:
    # Braced once more: styles that change case must not touch names and transliterations.
    text = _write_text(value, ascii)
    return "{" + text + "}" if text else None


TEXT = Kind(_write_text, _read_text)
TITLE = Kind(_write_title, _read_text)
PLACE = Kind(lambda value, ascii: _write_list_item(value, ascii) if value else None, _read_text)
NAMES = Kind(_write_names, _read_names)
DATE = Kind(_write_date, _read_date)
REQUIRED_DATE = Kind(lambda value, ascii: _write_date(value, ascii, required=True), _read_date)
LANGUAGE = Kind(_write_language, _read_language)
PAGES = Kind(_write_pages, _read_pages)
URI = Kind(_write_uri, _read_verbatim)
VERBATIM = Kind(_write_verbatim, _read_verbatim)
ARCHIVE = Kind(_write_archive, _read_archive)
# Read together, by _read_date_parts.
YEAR = Kind(_write_year)
MONTH = Kind(_write_month)


# --- the table ------------------------------------------------------------------


@dataclass(frozen=True)
class BibField:
    """One bib field: where its value lives in a record, and how it is written.

    ``path`` is dotted, into the document, or into the excerpt when it starts
    with ``excerpt``.  ``role`` says whether the field belongs to document
    entries, excerpt entries or both; ``types``, the biblatex entry types whose
    data model has the field (None: all).  ``write`` False marks a field that
    is only read: one other tools write for something archcite writes elsewhere.
    """

    name: str
    path: str
    kind: Kind
    dialects: tuple[str, ...] = (BIBTEX, BIBLATEX)
    role: str = ANY
    types: tuple[str, ...] | None = None
    write: bool = True

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.path.split("."))

    @cached_property
    def on_excerpt(self) -> bool:
        return self.keys[0] == "excerpt"

    @cached_property
    def get(self) -> Callable[[Any], Any]:
        """The value from the document (or excerpt); None where a section is missing."""
        keys = self.keys[1:] if self.on_excerpt else self.keys
        if len(keys) == 1:
            return attrgetter(keys[0])  # no section on the way: no None to test, and no Python frame
        section, name = keys  # a path goes at most one section deep

        def get(owner: Any) -> Any:
            # Tested, not caught: attrgetter("section.name") raising AttributeError on a
            # missing section cost eight times the two look-ups.
            found = getattr(owner, section)
            return None if found is None else getattr(found, name)

        return get

    def owned_by(self, role: str) -> bool:
        """Is the value an entry's own, rather than a copy of its document's?"""
        return self.role in (ANY, role) and (self.keys[0] == "excerpt") == (role == EXCERPT)


B, L = (BIBTEX,), (BIBLATEX,)
BOOK, INBOOK, MISC = ("book",), ("inbook",), ("misc",)

# fmt: off
FIELDS: tuple[BibField, ...] = (
    BibField("author",        "original_publication.authors",   NAMES),
    BibField("translator",    "translation.translators",        NAMES,     L),
    BibField("title",         "title",                          TITLE,     role=DOCUMENT),
    BibField("title",         "excerpt.title",                  TITLE,     role=EXCERPT),
    BibField("booktitle",     "title",                          TITLE,     L, EXCERPT, INBOOK),
    BibField("date",          "date",                           REQUIRED_DATE, L, DOCUMENT),
    BibField("date",          "excerpt.date",                   REQUIRED_DATE, L, EXCERPT),
    BibField("year",          "date",                           YEAR,      B, DOCUMENT),
    BibField("month",         "date",                           MONTH,     B, DOCUMENT),
    BibField("year",          "excerpt.date",                   YEAR,      B, EXCERPT),
    BibField("month",         "excerpt.date",                   MONTH,     B, EXCERPT),
    BibField("pages",         "original_publication.pages",     PAGES,     L, DOCUMENT, BOOK),
    BibField("pages",         "excerpt.pages",                  PAGES,     role=EXCERPT, types=INBOOK),
    BibField("origtitle",     "original_publication.title",     TITLE,     L),
    BibField("origlocation",  "original_publication.place",     PLACE,     L),
    BibField("origpublisher", "original_publication.publisher", PLACE,     L),
    BibField("origdate",      "original_publication.date",      DATE,      L),
    BibField("origlanguage",  "original_language",              LANGUAGE,  L, types=BOOK + INBOOK),
    BibField("language",      "translation.language",           LANGUAGE,  L),
    BibField("langid",        "translation.language",           LANGUAGE,  L, DOCUMENT, write=False),
    BibField("type",          "genre",                          TEXT,      L, DOCUMENT, MISC),
    BibField("abstract",      "summary",                        TEXT,      role=DOCUMENT),
    BibField("library",       "archival_source",                ARCHIVE,   L, DOCUMENT),
    BibField("howpublished",  "repository.name",                TEXT,      B),
    BibField("eprinttype",    "repository.name",                TEXT,      L),
    BibField("organization",  "repository.name",                TEXT,      L, DOCUMENT, write=False),
    BibField("eprint",        "repository.identifier",          VERBATIM,  L),
    BibField("url",           "repository.url",                 URI),
    BibField("addendum",      "funding.credit",                 TEXT,      L),
)
# fmt: on


class _Write(NamedTuple):
    """One field an entry writes, flattened from its BibField for the loop in native_fields."""

    name: str
    on_excerpt: bool
    get: Callable[[Any], Any]
    write: Callable[[Any, bool], str | None]


def _plan(dialect: str, role: str, entry_type: str) -> tuple[_Write, ...]:
    return tuple(
        _Write(f.name, f.on_excerpt, f.get, f.kind.write)
        for f in FIELDS
        if f.write
        and dialect in f.dialects
        and f.role in (ANY, role)
        and (dialect == BIBTEX or f.types is None or entry_type in f.types)
    )


# The fields each kind of entry writes, worked out once: export runs at tens of
# thousands of items a second.
_PLANS = {
    (dialect, role, entry_type): _plan(dialect, role, entry_type)
    for dialect in (BIBTEX, BIBLATEX)
    for role, types in ((DOCUMENT, ("book", "misc")), (EXCERPT, ("inbook", "misc")))
    for entry_type in types
}


# --- writing ----------------------------------------------------------------------


def entry_type(document: Document, excerpt: Excerpt | None, dialect: str) -> str:
    if dialect == BIBTEX:
        return "misc"
    publication = document.original_publication
    if publication is not None and publication.authors:
        return "inbook" if excerpt else "book"
    return "misc"


@dataclass
class _Shared:
    """What the entries of one document have in common: the texts of the
    document's own fields, and the sentences about its provenance."""

    fields: dict[str, str | None]
    sentences: list[str]


def native_fields(
    item: Item, dialect: str, ascii: bool = False, memo: dict[tuple[int, int], _Shared] | None = None
) -> tuple[str, dict[str, str]]:
    """The entry type and the fields (name -> text with delimiters) of an item,
    without the archcite carrier.  ``memo`` keeps each document's shared parts
    across the entries of one export: the document's excerpts repeat them."""
    document, excerpt = item.document, item.excerpt
    kind = entry_type(document, excerpt, dialect)
    plan = _PLANS[dialect, EXCERPT if excerpt else DOCUMENT, kind]
    shared = memo.get((id(document), id(plan))) if memo is not None else None
    fresh = shared is None
    if shared is None:
        shared = _Shared({}, _document_sentences(document, dialect, kind, ascii))
        if memo is not None:
            memo[id(document), id(plan)] = shared
    fields: dict[str, str] = {}
    for name, on_excerpt, get, write in plan:
        if on_excerpt:
            text = write(get(excerpt), ascii)
        elif fresh:
            text = shared.fields[name] = write(get(document), ascii)
        else:
            text = shared.fields.get(name)
        if text is not None:
            fields[name] = text
    if kind == "misc" and "translator" in fields:
        # @misc has no translator field; biblatex prints editortype=translator as "translated by".
        fields = {("editor" if k == "translator" else k): v for k, v in fields.items()}
        fields["editortype"] = "{translator}"
    note = " ".join(_excerpt_sentences(document, excerpt, dialect, kind, ascii) + shared.sentences)
    if note:
        fields["note"] = "{" + note + "}"
    return kind, fields


# The note: provenance the entry's other fields do not show, as LaTeX sentences for people.


def _excerpt_sentences(document: Document, excerpt: Excerpt | None, dialect: str, kind: str, ascii: bool) -> list[str]:
    sentences = []
    classic = dialect == BIBTEX
    if excerpt is not None and (classic or kind == "misc"):
        pages = f", pp.~{to_latex(excerpt.pages, ascii).replace('-', '--')}" if excerpt.pages else ""
        title = to_latex(document.title, ascii)
        # A title ending in a single quote would give ''' (TeX sets the double closing
        # quote first, then the single): LaTeX's thin space \, keeps them apart and nested.
        if title.endswith("'"):
            title += r"\,"
        sentences.append(f"Excerpt from ``{title}''{pages}.")
    date = excerpt.date if excerpt else document.date
    if classic and date and (date.day or date.approximate or date.end):
        sentences.append(f"Dated {spoken_date(date)}.")
    return sentences


def _document_sentences(document: Document, dialect: str, kind: str, ascii: bool) -> list[str]:
    def tex(text: str) -> str:
        return to_latex(text, ascii)

    sentences = []
    classic = dialect == BIBTEX
    translation, language = document.translation, document.original_language
    if classic and (translation or language):
        sentences.append(tex(_translated(document)))
    elif kind == "misc" and language:
        sentences.append(f"Translated from {tex(language.name)}.")
    if translation and translation.translated_for and not classic:
        sentences.append(f"Translated for {tex(translation.translated_for)}.")
    if translation and translation.obtained_by:
        sentences.append(f"Obtained by {tex(_and(p.name for p in translation.obtained_by))}.")
    if document.original_publication:
        sentences.append(f"Original: {_publication(document, classic, tex)}.")
    source, funding = document.archival_source, document.funding
    if source:
        sentences.append(f"Archive: {tex(archive_text(source))}.")
    if classic and funding and (funding.credit or funding.funders):
        credit = funding.credit or f"Funded by {_and(funding.funders)}"
        sentences.append(tex(credit if credit.endswith((".", "!", "?")) else credit + "."))
    return sentences


def _translated(document: Document) -> str:
    translation, language = document.translation, document.original_language
    words = ["Translated"]
    if language:
        words.append(f"from {language.name}")
    if translation and translation.language.code != "en":
        words.append(f"into {translation.language.name}")
    if translation and translation.translators:
        words.append(f"by {_and(p.name for p in translation.translators)}")
    if translation and translation.translated_for:
        words.append(f"for {translation.translated_for}")
    return " ".join(words) + "."


def _publication(document: Document, with_authors: bool, tex: Callable[[str], str]) -> str:
    publication = document.original_publication
    assert publication is not None
    text = r"\emph{" + tex(publication.title) + "}"
    if with_authors and publication.authors:
        text = f"{tex(_and(p.name for p in publication.authors))}, {text}"
    if publication.title_translated:
        text += f" [{tex(publication.title_translated)}]"
    imprint = ": ".join(p for p in (publication.place, publication.publisher) if p)
    imprint = ", ".join(p for p in (imprint, str(publication.date or "")) if p)
    if imprint:
        text += f" ({tex(imprint)})"
    if publication.pages:
        text += f", pp.~{tex(publication.pages).replace('-', '--')}"
    return text


def _and(names: Any) -> str:
    names = list(names)
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def spoken_date(date: FuzzyDate) -> str:
    """17 June 1960, June 1960, 1960; circa; a range with "to"."""
    parts = [str(p) for p in (date.day, MONTH_NAMES[date.month - 1] if date.month else None, date.year) if p]
    text = ("circa " if date.approximate else "") + " ".join(parts)
    return f"{text} to {spoken_date(date.end)}" if date.end else text


def _render(kind: str, key: str, fields: dict[str, str]) -> str:
    lines = [f"@{kind}{{{key},\n"]
    lines += [f"  {name} = {text},\n" for name, text in fields.items()]
    lines.append("}\n")
    return "".join(lines)


def dump(items: Iterable[Item], options: ExportOptions, dialect: str = BIBTEX) -> str:
    """The registry's entry point: one entry per item, in order, each once."""
    return "".join(dump_iter(items, options, dialect))


def dump_iter(items: Iterable[Item], options: ExportOptions, dialect: str = BIBTEX) -> Iterator[str]:
    """``dump``'s text in pieces, one entry per piece, reading the items one at a time.

    A BibLaTeX excerpt's entry is ``related`` to its document's entry when the
    file has one.  Given a sequence, that is any entry of the file; given a
    one-pass iterable, one already written, as archcite's own order writes each
    document before its excerpts: nothing is read ahead."""
    whole = {item.document.id for item in items if item.excerpt is None} if isinstance(items, Sequence) else set()
    seen: set[str] = set()
    # A document's shared parts, for its excerpts' entries.  Only the current
    # document's are kept, and it is held: a stream must not keep every document,
    # and the id() key of a freed document could come back for the next one.
    memo: dict[tuple[int, int], _Shared] = {}
    current: Document | None = None
    separator = ""
    for item in items:
        key = item.id
        if key in seen:
            continue
        seen.add(key)
        if item.document is not current:
            current = item.document
            memo.clear()
        if item.excerpt is None:
            whole.add(item.document.id)
        kind, fields = native_fields(item, dialect, options.ascii, memo)
        if dialect == BIBLATEX:
            # biber warns about a related key it cannot find: link only to an entry in this file.
            if item.excerpt is not None and item.document.id in whole:
                fields["related"] = "{" + item.document.id + "}"
            fields[CARRIER] = _carrier(diff(*_read_back(item, fields)), options.ascii)
        yield separator + _render(kind, key, fields)
        separator = "\n"


def _read_back(item: Item, fields: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The item's record data, and what an import makes of the fields written
    for it; their difference is what the carrier holds, or what is lost."""
    # What archcite writes is one braced group, or a month macro.
    values = {name: text[1:-1] if text[0] == "{" else _MONTH_STRINGS[text] for name, text in fields.items()}
    native = _read_native(item.id, values, []).data
    return (item.excerpt or item.document).model_dump(mode="json", exclude_defaults=True), native


# JSON strings in the carrier escape the characters bibtexparser stops at ({ } " , = and
# line breaks): braces stay balanced for biber, and a long excerpt text does not cost
# bibtexparser's per-delimiter Python loop a step for each of its commas.
_JSON_QUIET = {c: f"\\u{ord(c):04x}" for c in "{},=\x85\u2028\u2029"}
_JSON_LOUD = re.compile("[{},=\x85\u2028\u2029]")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
# Lone surrogates never occur in a record's data (the models refuse them), so they
# can stand for the escapes \\ and \" while the JSON text is cut at its quotes.
_BACKSLASH, _QUOTE, _CUT = "\ud800", "\ud801", "\ud802"
_SURROGATES = re.compile("[\ud800-\udfff]")


def _quiet(text: str) -> str:
    """``text`` (JSON) with the characters above escaped inside its strings.

    Cut at its quotes, JSON text alternates between what is outside strings and what
    is inside: the insides are joined, escaped with a few str.replace calls, and put
    back.  (A regex callback per string cost BibLaTeX export a third of its time.)"""
    if _SURROGATES.search(text):  # not from a validated record; the slow way, then
        return _JSON_STRING.sub(lambda string: _JSON_LOUD.sub(lambda c: _JSON_QUIET[c.group()], string.group()), text)
    pieces = text.replace("\\\\", _BACKSLASH).replace('\\"', _QUOTE).split('"')
    inside = _CUT.join(pieces[1::2])
    for char, escape in _JSON_QUIET.items():
        inside = inside.replace(char, escape)
    pieces[1::2] = inside.split(_CUT)
    return '"'.join(pieces).replace(_QUOTE, '\\"').replace(_BACKSLASH, "\\\\")


def _carrier(patch: dict[str, Any], ascii: bool) -> str:
    data: dict[str, Any] = {"archcite": 1, "patch": patch} if patch else {"archcite": 1}
    return "{" + _quiet(json.dumps(data, ensure_ascii=ascii, separators=(",", ":"))) + "}"


def diff(target: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The JSON merge patch (RFC 7386) that turns ``base`` into ``target``."""
    patch: dict[str, Any] = {}
    for key, value in target.items():
        if key not in base:
            patch[key] = value
        elif value != base[key]:
            both = isinstance(value, dict) and isinstance(base[key], dict)
            patch[key] = diff(value, base[key]) if both else value
    for key in sorted(base.keys() - target.keys()):
        patch[key] = None
    return patch


def apply_patch(base: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if value is None:
            base.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            apply_patch(base[key], value)
        else:
            base[key] = value


# Facts plain BibTeX writes as sentences in its note.
_IN_NOTE = (
    "date", "excerpt.date", "excerpt.pages", "translation", "original_language", "original_publication",
    "archival_source", "funding",
)  # fmt: skip


def losses(item: Item, dialect: str = BIBTEX) -> list[str]:
    """The facts of an item its entry carries in no field of their own."""
    target, native = _read_back(item, native_fields(item, dialect)[1])
    lost = []
    for path in _paths(diff(target, native), native, "excerpt." if item.excerpt else ""):
        if dialect == BIBLATEX:
            lost.append(f"{path} (kept as archcite data in {CARRIER})")
        elif path.startswith(_IN_NOTE):
            lost.append(f"{path} (written as text in note)")
        else:
            lost.append(f"{path} (left out)")
    return lost


def _paths(patch: dict[str, Any], base: dict[str, Any], prefix: str) -> Iterator[str]:
    """The paths a patch changes: a section the fields lack entirely is one path."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            yield from _paths(value, base[key], f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


# --- reading: bib syntax -----------------------------------------------------------

# bibtexparser walks every brace, quote, comma, equals sign, newline and "@" in a
# Python loop, about 1.5 µs each: past a million of them, reading would take
# seconds, so such a file is refused up front (counting them is fast).
MAX_DELIMITERS = 1_000_000
# Text between entries that starts like a field: ", year = {1960}".
_STRAY_FIELD = re.compile(r"^\s*,?\s*[A-Za-z][\w-]*\s*=")
MAX_CHARS = 64_000_000
MAX_VALUE = 4_000_000
_MONTH_STRINGS = {macro: str(number) for number, macro in enumerate(_MONTH_MACROS, start=1)}


def _check_input(text: str, path: str | None) -> None:
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise RecordError("NUL character in the file; is this a binary file rather than BibTeX?", path, line)
    delimiters = sum(map(text.count, '{}",=\n@'))
    if len(text) > MAX_CHARS or delimiters > MAX_DELIMITERS:
        raise RecordError(
            f"the file is too large to read at once ({len(text) / 1e6:.1f} million characters, "
            f"{delimiters:,} braces, quotes, commas, equals signs and line breaks; the limit is "
            f"{MAX_DELIMITERS:,}); split it into smaller files and import those",
            path,
        )


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each syntax error; archcite reports them itself."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def evaluate(raw: str, strings: dict[str, str]) -> str:
    """A field value as BibTeX reads it: ``{...}``, ``"..."``, numbers and
    ``@string`` names, joined with ``#``.  Raises ValueError with the reason."""
    raw = raw.strip()
    if raw.startswith("{") and _group_end(raw, 0) == len(raw) - 1:
        return raw[1:-1]
    pieces: list[str] = []
    index = size = 0
    while True:
        index = _skip_space(raw, index)
        if index >= len(raw):
            raise ValueError("a value is missing after '#'" if pieces else "the value is empty")
        char = raw[index]
        if char == "{":
            end = _group_end(raw, index)
            piece = raw[index + 1 : end]
        elif char == '"':
            end = _quote_end(raw, index)
            piece = raw[index + 1 : end]
        else:
            match = re.compile(r"[^\s#{}\"]+").match(raw, index)
            if match is None:
                raise ValueError(f"unexpected {char!r}")
            end, name = match.end() - 1, match.group()
            if name.isdigit():
                piece = name
            elif name.lower() in strings:
                piece = strings[name.lower()]
            else:
                raise ValueError(
                    f"undefined @string {name!r}; define it before its first use "
                    "(a @string cannot refer to itself or to a later one), or put the text in braces"
                )
        size += len(piece)
        if size > MAX_VALUE:
            raise ValueError(f"the value expands to more than {MAX_VALUE:,} characters (@strings nested into each other?)")
        pieces.append(piece)
        index = _skip_space(raw, end + 1)
        if index >= len(raw):
            return "".join(pieces)
        if raw[index] != "#":
            raise ValueError(f"expected '#' between the parts of the value, found {raw[index]!r}")
        index += 1


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _group_end(text: str, start: int) -> int:
    depth = 0
    for match in _BRACE.finditer(text, start):
        depth += 1 if match.group() == "{" else -1
        if depth == 0:
            return match.start()
    raise ValueError("a '{' is not closed")


def _quote_end(text: str, start: int) -> int:
    depth = 0
    for match in re.compile(r'(?<!\\)[{}"]').finditer(text, start + 1):
        token = match.group()
        if token == '"' and depth == 0:
            return match.start()
        depth += {"{": 1, "}": -1}.get(token, 0)
    raise ValueError('a \'"\' is not closed')


# --- reading: entries -------------------------------------------------------------

_EXCERPT_KEY = re.compile(rf"^({RECORD_ID.pattern[1:-1]}):({EXCERPT_ID.pattern[1:-1]})$")


@dataclass
class _Native:
    """What an entry's fields say, as record data (before the carrier)."""

    role: str
    record_id: str
    excerpt_id: str | None
    data: dict[str, Any]
    used: set[str] = field(default_factory=set)


def _put(data: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        data = data.setdefault(key, {})
    data[keys[-1]] = value


def _has(data: dict[str, Any], keys: tuple[str, ...]) -> bool:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return True


def _read_native(key: str, fields: dict[str, str], notes: list[str]) -> _Native:
    """Record data from an entry's evaluated fields; ``notes`` gets what was
    not understood.  Export runs this too, on what it writes, so that the
    carrier holds exactly what reading the fields cannot give back."""
    excerpt_key = _EXCERPT_KEY.match(key)
    if excerpt_key:
        native = _Native(EXCERPT, excerpt_key.group(1), excerpt_key.group(2), {"id": excerpt_key.group(2)})
    else:
        native = _Native(DOCUMENT, _record_id(key, notes), None, {})
        native.data["id"] = native.record_id
    if fields.get("editortype", "").strip().lower() == "translator" and "translator" not in fields:
        fields = {("translator" if k == "editor" else k): v for k, v in fields.items()}
        native.used.add("editortype")
    for f in FIELDS:
        if f.kind.read is None or f.name not in fields or not f.owned_by(native.role):
            continue
        keys = f.keys[1:] if f.keys[0] == "excerpt" else f.keys
        if _has(native.data, keys) or (f.name == "langid" and "translation" not in native.data):
            continue  # another field said it first; langid is the translation's only with translators
        try:
            value = f.kind.read(fields[f.name])
        except ValueError as exc:
            notes.append(f"{f.name}: cannot read {fields[f.name]!r} ({_first_line(exc)}); ignored")
            native.used.add(f.name)  # noted
            continue
        if value is not None:
            _put(native.data, keys, value)
        native.used.add(f.name)
    _read_date_parts(native, fields, notes)
    if native.role == DOCUMENT:
        _complete(native, notes)
    return native


def _read_date_parts(native: _Native, fields: dict[str, str], notes: list[str]) -> None:
    """BibTeX's year, month (and biblatex's legacy day) when there is no date."""
    if "year" not in fields or "date" in native.data or "date" in fields:
        return
    try:
        year = int(from_latex(fields["year"]).strip())
        date: dict[str, Any] = {"year": year}
        month_text = from_latex(fields.get("month", "")).strip().rstrip(".").lower()
        if month_text:
            date["month"] = int(month_text) if month_text.isdigit() else MONTHS[month_text]
            if fields.get("day", "").strip():
                date["day"] = int(from_latex(fields["day"]).strip())
        native.data["date"] = FuzzyDate.model_validate(date).edtf()
        native.used.update(("year", "month", "day"))
    except (ValueError, KeyError) as exc:
        notes.append(f"year/month/day: not a date ({_first_line(exc)}); ignored")


def _complete(native: _Native, notes: list[str]) -> None:
    """Drop or fill the sections a foreign entry leaves incomplete."""
    data = native.data
    publication = data.get("original_publication")
    if publication is not None and "title" not in publication:
        dropped = [f.name for f in FIELDS if f.path.startswith("original_publication.") and f.name in native.used]
        notes.append(
            f"{', '.join(dropped)}: archcite keeps these for the original publication, which needs its "
            "title (origtitle); ignored"
        )
        native.used.difference_update(dropped)
        del data["original_publication"]
    translation = data.get("translation")
    if translation is not None and "language" not in translation:
        translation["language"] = {"code": "en"}
        notes.append("the language of the translation is not given (language, langid); assumed English")
    repository = data.get("repository")
    if repository is not None and "name" not in repository:
        host = urlsplit(repository.get("url", "")).hostname or "unknown"
        repository["name"] = host
        notes.append(f"url: no name for the repository (eprinttype, organization); named it {host!r}")


def _record_id(key: str, notes: list[str]) -> str:
    if RECORD_ID.match(key):
        return key
    slug = re.sub(r"[^a-z0-9._-]+", "-", key.lower()).strip("-._")[:100]
    if not slug or not RECORD_ID.match(slug):
        raise ValueError(f"the key {key!r} cannot be made a record id (letters, digits, '.', '_', '-')")
    notes.append(f"key {key!r} imported as record id {slug!r}")
    return slug


def _first_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return err["msg"].removeprefix("Value error, ")
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


@dataclass
class _Read:
    """One entry read: its record data (carrier applied), where it was."""

    native: _Native
    key: str
    line: int


class _Reader:
    def __init__(self, text: str, path: str | None) -> None:
        self.text = text
        self.path = path
        self.problems: list[RecordError] = []
        self.notes: list[str] = []

    def error(self, message: str, line: int | None, key: str | None = None) -> RecordError:
        where = f"entry {key!r}: " if key else ""
        return RecordError(where + message, self.path, line)

    def note(self, message: str, line: int | None, key: str | None = None) -> None:
        self.notes.append(str(self.error(message, line, key)))

    def read(self) -> list[Document]:
        # bibtexparser is imported here: export does not need it.
        from bibtexparser.entrypoint import parse_string
        from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ImplicitComment, ParsingFailedBlock, String

        _check_input(self.text, self.path)
        with _quiet_bibtexparser():
            library = parse_string(self.text, parse_stack=[])
        strings = dict(_MONTH_STRINGS)
        entries: list[_Read] = []
        for block in library.blocks:
            line = (block.start_line or 0) + 1
            try:
                if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, String):
                    block = block.ignore_error_block  # a @string defined again: the later one wins, as in BibTeX
                if isinstance(block, String):
                    strings[block.key.strip().lower()] = self._evaluate(block.value, strings, line, f"@string{{{block.key}}}")
                elif isinstance(block, Entry):
                    entries.append(self._entry(block, strings, line))
                elif isinstance(block, ParsingFailedBlock):
                    raise self._failure(block, line)
                elif isinstance(block, ImplicitComment) and _STRAY_FIELD.match(block.comment):
                    # BibTeX ignores text between entries; fields there were cut off by an extra '}'.
                    raise self.error(
                        f"{' '.join(block.comment.split())[:60]!r} is outside any entry, so it would be lost; "
                        "an extra '}' above probably closed the entry early",
                        line,
                    )
            except RecordError as exc:
                self.problems.append(exc)
        if not entries and not self.problems:
            raise RecordError("no BibTeX entries (@type{key, field = {value}, ...}) in the file; is it BibTeX?", self.path, 1)
        return self._documents(entries)

    def _evaluate(self, raw: str, strings: dict[str, str], line: int, key: str) -> str:
        try:
            return evaluate(raw, strings)
        except ValueError as exc:
            raise self.error(str(exc), line, key) from None

    def _failure(self, block: ParsingFailedBlock, line: int) -> RecordError:
        from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

        raw = block.raw or ""
        found = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s{}()]+)", raw)
        key = found.group(1) if found else None
        if isinstance(block, DuplicateBlockKeyBlock):
            first = (block.previous_block.start_line or 0) + 1
            message = f"the key is used twice (first at line {first}); rename or delete one of the entries"
            return self.error(message, line, block.key)
        if isinstance(block, DuplicateFieldKeyBlock):
            names = ", ".join(sorted(block.duplicate_keys))
            return self.error(f"the field {names} appears twice; keep one", line, key)
        reason = getattr(block.error, "abort_reason", None) or str(block.error)
        return self.error(
            f"cannot read this entry: {reason.strip()}; check that its braces and quotes are balanced "
            "and that fields are separated by commas",
            line,
            key,
        )

    def _entry(self, entry: Any, strings: dict[str, str], line: int) -> _Read:
        key = entry.key.strip()
        fields: dict[str, str] = {}
        lines: dict[str, int] = {}
        for f in entry.fields:
            name = f.key.strip().lower()
            fields[name] = self._evaluate(f.value, strings, (f.start_line or 0) + 1, key)
            lines[name] = (f.start_line or 0) + 1
        notes: list[str] = []
        try:
            native = _read_native(key, fields, notes)
        except ValueError as exc:
            raise self.error(str(exc), line, key) from None
        carrier = fields.get(CARRIER, "").strip()
        if carrier.startswith('{"archcite"'):
            # archcite wrote the entry: the carrier makes the record exact, and the
            # fields not read are sentences made from the record, links and copies.
            self._apply_carrier(native, carrier, lines.get(CARRIER, line), key)
            notes = []
        else:
            ignored = sorted(set(fields) - native.used - _copies(native))
            if ignored:
                notes.append(f"archcite has no place for {', '.join(ignored)}; ignored")
        for note in notes:
            self.note(note, line, key)
        return _Read(native, key, line)

    def _apply_carrier(self, native: _Native, carrier: str, line: int, key: str) -> None:
        try:
            data = json.loads(carrier)
            patch = data.get("patch", {})
            if not isinstance(patch, dict):
                raise ValueError("'patch' is not an object")
        except (ValueError, AttributeError) as exc:
            raise self.error(
                f"the archcite data in {CARRIER} is damaged ({_first_line(exc)}); delete the {CARRIER} field "
                "to import what the other fields hold, or export the record again",
                line,
                key,
            ) from None
        if data.get("archcite") != 1:
            raise self.error(f"the archcite data in {CARRIER} is of a newer version; update archcite", line, key)
        apply_patch(native.data, patch)

    def _documents(self, entries: list[_Read]) -> list[Document]:
        heads: dict[str, _Read] = {}
        for e in entries:
            if e.native.role != DOCUMENT:
                continue
            first = heads.setdefault(e.native.record_id, e)
            if first is not e:
                message = f"its record id {e.native.record_id!r} is that of entry {first.key!r} (line {first.line}); rename a key"
                self.problems.append(self.error(message, e.line, e.key))
        for part in (e for e in entries if e.native.role == EXCERPT):
            head = heads.get(part.native.record_id)
            if head is None:
                self.problems.append(
                    self.error(
                        f"an excerpt entry is imported with its document entry {part.native.record_id!r}, which is "
                        f"not in the file; export both (archcite export {part.native.record_id} --excerpts)",
                        part.line,
                        part.key,
                    )
                )
                continue
            excerpts = head.native.data.setdefault("excerpts", [])
            if not isinstance(excerpts, list):
                continue  # a damaged carrier: validation says so
            same = (i for i, x in enumerate(excerpts) if isinstance(x, dict) and x.get("id") == part.native.excerpt_id)
            index = next(same, None)
            if index is None:
                excerpts.append(part.native.data)
            else:
                excerpts[index] = part.native.data
        documents = []
        for head in heads.values():
            try:
                documents.append(Document.model_validate(head.native.data))
            except ValidationError as exc:
                self.problems.append(self.error(f"not a valid record: {_brief(exc)}", head.line, head.key))
        return documents


def _copies(native: _Native) -> set[str]:
    """An excerpt entry's fields that repeat its document's, and its link to it."""
    if native.role == DOCUMENT:
        return set()
    return {f.name for f in FIELDS if f.role in (ANY, EXCERPT) and not f.owned_by(EXCERPT)} | {"editor", "editortype", "related"}


def _brief(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def load_with_notes(text: str, path: str | None = None, keep_going: bool = False) -> tuple[list[Document], list[str]]:
    """BibTeX or BibLaTeX -> documents, and notes on what was ignored or assumed.

    A broken entry raises RecordError (``path:line: entry 'key': ...``; its
    ``problems`` list all of them), unless ``keep_going``: then the valid
    entries are read and each broken one becomes a note.  A file that gives
    no document at all (too large, binary, no valid entry) always raises."""
    reader = _Reader(text, path)
    documents = reader.read()
    reader.problems.sort(key=lambda problem: problem.line or 0)
    if reader.problems and (not keep_going or not documents):
        first = reader.problems[0]
        first.problems = list(reader.problems)
        raise first
    skipped = [f"{problem} (skipped)" for problem in reader.problems]
    return documents, skipped + reader.notes


def load_documents(text: str, path: str | None = None) -> list[Document]:
    """The registry's entry point; ``load_with_notes`` also says what was ignored."""
    return load_with_notes(text, path)[0]

"""The one mapping between archcite's models and CSL-JSON variables.

Every fact a ``Document`` or ``Excerpt`` holds has one row in ``ROWS``: the
model field, the CSL variable it becomes in a document's item, the one it
becomes in an excerpt's item, and a codec that converts it both ways.  The
CSL-JSON writer and reader (``archcite.formats.csl_json``) and the README's
table (``markdown_table()``) all read these rows, so the two directions cannot
drift apart and the documentation cannot go stale.

A target written ``custom.<key>`` is a key of the item's ``custom`` object,
CSL 1.0.2's place for data it has no variable for.  When a CSL variable cannot
carry a value exactly (a person's name variants, a range with one approximate
end or with ends of different precision, a language's own display name), the
exact value also goes to ``custom.<variable>``; the reader prefers that copy
only while it still agrees with the variable, so that a hand edit of the
variable wins over a stale copy.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import BaseModel, TypeAdapter

from .models import (
    ArchivalSource,
    Document,
    Excerpt,
    Funding,
    FuzzyDate,
    Language,
    OriginalPublication,
    Person,
    Repository,
    Translation,
    _display_name,
)

CSL_TYPE = "document"
"""CSL 1.0.2's type for a document that fits no other type.  A translated
archival document is no "manuscript" (Chicago styles print "unpublished
manuscript" for those) and no book; citeproc-js and pandoc both render it."""

# Case protection as CSL-JSON writes it.  Styles title-case titles when the item's
# language is English, which mangles a transliterated title ("Koreiskii Poluostrov
# I Interesi Rossii"); an original title is cited as printed, so it is protected.
NOCASE_OPEN = '<span class="nocase">'
NOCASE_CLOSE = "</span>"

# The model class behind each first part of a row's path.
SECTIONS: dict[str, type[BaseModel]] = {
    "translation": Translation,
    "original_publication": OriginalPublication,
    "archival_source": ArchivalSource,
    "repository": Repository,
    "funding": Funding,
    "excerpt": Excerpt,
}


class WrongType(TypeError):
    """A CSL value of a JSON type CSL does not allow there; the reader reports it as a RecordError."""


# --- codecs -------------------------------------------------------------------

# _FIELDS_NOTE: export reads a model's fields from its __dict__, where pydantic keeps
# them all.  An attribute of a pydantic model goes through the hook BaseModel.__getattr__
# installs (type look-ups, then the instance's dict); a subscript of the dict is one
# look-up.  Read once per model, the dict pays from the second field on: the custom.excerpts
# of the benchmark's documents went from 48,000 to 42,600 instructions a document (callgrind).


@dataclass(frozen=True)
class Codec:
    """How one kind of value crosses between the model and CSL-JSON.

    ``dump(value, document)`` gives the CSL value; ``load`` gives the data the model is validated from, raising WrongType
    for a JSON type CSL does not allow and ValueError for a value it cannot read;
    ``exact`` tells whether ``load(dump(value))`` gives ``value`` back; ``model``
    is the type an exact copy in ``custom`` is read as; ``leftovers`` names the
    parts of a CSL value that ``load`` had no use for, for the reader's notes.
    """

    dump: Callable[[Any, Document | None], Any]
    load: Callable[[Any], Any]
    exact: Callable[[Any], bool] | None = None
    model: Any = None
    leftovers: Callable[[Any], list[str]] | None = None

    @cached_property
    def adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self.model)


def expect(value: Any, kinds: tuple[type, ...], what: str) -> Any:
    """``value`` if it has one of the JSON types ``kinds``, else WrongType."""
    # bool is an int in Python, but true is not a number in JSON.
    if isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool)):
        return value
    raise WrongType(f"{what}, not {json_type(value)}")


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    names = {int: "a number", float: "a decimal number", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def as_is(value: Any, document: Document | None) -> Any:
    """The codec dump of a value CSL takes as it is (a writer may skip the call)."""
    return value


def _load_text(value: Any) -> str:
    return str(expect(value, (str,), "expected a string"))


def _load_text_or_number(value: Any) -> str:
    # CSL allows a number for page, and Zotero writes one for a single page.
    return str(expect(value, (str, int, float), "expected a string or a number"))


TEXT = Codec(as_is, _load_text)
PAGES = Codec(as_is, _load_text_or_number)


def _dump_original_title(title: str, document: Document | None) -> str:
    # Case-protected; and the title's English translation follows in brackets, in
    # <i> so that processors flip it to roman inside the italic title (CMOS 14.88).
    text = NOCASE_OPEN + title + NOCASE_CLOSE
    publication = document.original_publication if document is not None else None
    if publication is not None and publication.title_translated:
        text += f" <i>[{publication.title_translated}]</i>"
    return text


_ORIGINAL_TITLE = re.compile(r'<span class="nocase">(?P<title>.*)</span>(?: <i>\[.*\]</i>)?', re.DOTALL)


def _load_original_title(value: Any) -> str:
    # The translated title is read from custom.original_title_translated; here it is dropped.
    text = _load_text(value)
    match = _ORIGINAL_TITLE.fullmatch(text)
    return match.group("title") if match else text


PROTECTED_TEXT = Codec(_dump_original_title, _load_original_title)


def _dump_date(date: FuzzyDate, document: Document | None) -> dict[str, Any]:
    fields = date.__dict__  # see _FIELDS_NOTE
    parts = [list(date.parts())]
    end = fields["end"]
    if end is not None:
        # citeproc-js throws ("element mismatch in date range input") on a range
        # whose ends differ in precision (1960-06/1961): both ends are cut to the
        # coarser one, and the exact range kept in custom.
        end_parts = list(end.parts())
        precision = min(len(parts[0]), len(end_parts))
        parts[0] = parts[0][:precision]
        if end_parts[:precision] != parts[0]:
            parts.append(end_parts[:precision])
    value: dict[str, Any] = {"date-parts": parts}
    if fields["approximate"] or (end is not None and end.__dict__["approximate"]):
        value["circa"] = True
    return value


def _date_exact(date: FuzzyDate) -> bool:
    # CSL has one circa flag for the whole date, and ends of one precision.
    fields = date.__dict__  # see _FIELDS_NOTE
    end = fields["end"]
    if end is None:
        return True
    end_fields = end.__dict__
    return (
        end_fields["approximate"] == fields["approximate"]
        and (end_fields["month"] is None) == (fields["month"] is None)
        and (end_fields["day"] is None) == (fields["day"] is None)
    )


def _load_date(value: Any) -> str:
    """A CSL date -> EDTF text, which the model then checks against the calendar."""
    if isinstance(value, str):  # CSL 1.0.2 also allows an EDTF string
        return _loose_date(value)
    expect(value, (dict,), "expected a date object with date-parts")
    if "date-parts" not in value:
        text = value.get("raw", value.get("literal"))
        if isinstance(text, str):
            return _loose_date(text)
        raise ValueError("the date has neither date-parts nor raw")
    ends = expect(value["date-parts"], (list,), "date-parts must be a list of lists")
    if not 1 <= len(ends) <= 2:
        raise ValueError("date-parts must hold one date, or two for a range")
    circa = value.get("circa") not in (None, False, 0, "", "false")
    texts = []
    for end in ends:
        numbers = [_date_number(p) for p in expect(end, (list,), "each date-parts entry must be a list")]
        if not 1 <= len(numbers) <= 3:
            raise ValueError("a date-parts entry holds a year, then month and day")
        text = "-".join(f"{n:04d}" if i == 0 else f"{n:02d}" for i, n in enumerate(numbers))
        texts.append(text + ("~" if circa else ""))
    if len(texts) == 2 and texts[0] == texts[1]:
        texts.pop()  # some writers repeat a date as a one-day "range"
    return "/".join(texts)


def _date_number(part: Any) -> int:
    if isinstance(part, str) and part.strip().isdigit():
        return int(part)
    return int(expect(part, (int,), "date parts must be whole numbers"))


def _loose_date(text: str) -> str:
    """A string date: EDTF, else a date as archives print it ('June 17, 1960')."""
    from .dates import parse_date

    try:
        return FuzzyDate.model_validate(text).edtf()
    except ValueError:
        return parse_date(text).edtf()


def _date_leftovers(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return []
    used = {"date-parts", "circa"} if "date-parts" in value else {"raw", "literal"}
    return sorted(k for k in value if k not in used and not (k == "literal" and "raw" in value))


DATE = Codec(_dump_date, _load_date, exact=_date_exact, model=FuzzyDate, leftovers=_date_leftovers)


def person_is_plain(person: Person) -> bool:
    """True when the CSL name {family, given} gives back this very Person."""
    fields = person.__dict__  # see _FIELDS_NOTE
    if fields["family"] is not None or fields["given"] is not None or fields["variants"]:
        return False
    name: str = fields["name"]
    return " ".join(name.split()) == name


def csl_name(person: Person) -> dict[str, str]:
    family, given = person.name_parts()
    if not family:  # an explicit empty family name: CSL would print nothing
        return {"literal": person.name}
    return {"family": family, "given": given} if given else {"family": family}


def _dump_names(people: list[Person], document: Document | None) -> list[dict[str, str]]:
    return [csl_name(p) for p in people]


def _load_name(value: Any) -> dict[str, Any]:
    expect(value, (dict,), 'expected a name object such as {"family": ..., "given": ...}')
    literal = value.get("literal")
    if isinstance(literal, str) and literal.strip():
        return {"name": literal}
    # Particles and a suffix join the name in the order it is spoken.
    keys = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")
    words = [_load_text(value[k]) for k in keys if value.get(k) not in (None, "")]
    if not words:
        raise ValueError("a name has neither family, given nor literal")
    return {"name": " ".join(" ".join(words).split())}


def _load_names(value: Any) -> list[dict[str, Any]]:
    return [_load_name(v) for v in expect(value, (list,), "expected a list of names")]


def _names_exact(people: list[Person]) -> bool:
    for person in people:
        if not person_is_plain(person):
            return False
    return True


NAMES = Codec(
    _dump_names,
    _load_names,
    exact=_names_exact,
    model=list[Person],
)


def language_is_plain(language: Language) -> bool:
    fields = language.__dict__  # see _FIELDS_NOTE
    name: str = fields["name"]
    return name == _display_name(fields["code"])


def _load_language(value: Any) -> Any:
    import langcodes

    text = _load_text(value)
    # A tag is read as a tag, however long; Zotero also writes names ("Russian"),
    # which the model looks up.
    return {"code": text} if langcodes.tag_is_valid(text) else text


LANGUAGE = Codec(
    lambda language, document: language.code,
    _load_language,
    exact=language_is_plain,
    model=Language,
)


def compact(value: Any) -> Any:
    """A model value as the JSON kept in ``custom``: defaults left out, a person
    with nothing but a name as that name, a language with its usual name as {code}."""
    # What export meets, by exact type first: a funder's name, lists of people, every
    # excerpt of a document, dates, languages (model_dump is slow for most of them).
    # An isinstance() that fails on a model looks up its __class__, as slowly as any
    # attribute of a pydantic model: subclasses are only tested after.
    kind = type(value)
    if kind is str:
        return value
    if kind is list:
        # Each excerpt or person straight to its writer, not through compact() again:
        # one Python call less each, about 2,000 instructions a document item.
        return [_COMPACT_EXACTLY.get(type(v), compact)(v) for v in value]
    writer = _COMPACT_EXACTLY.get(kind)
    if writer is not None:
        return writer(value)
    if isinstance(value, list):  # the same, for subclasses
        return [compact(v) for v in value]
    if isinstance(value, Person):
        return person_data(value)
    if isinstance(value, Language):
        return language_data(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    return value


def language_data(language: Language) -> dict[str, str]:
    """``compact(language)``: {code}, with the name only when it is not the usual one."""
    return {"code": language.code} if language_is_plain(language) else language.model_dump()


# excerpt_data() and person_data() write each field of their model by hand: a new
# field must be written there too, or it would be lost.
_HAND_WRITTEN: dict[type[BaseModel], tuple[str, ...]] = {
    Excerpt: ("id", "title", "pages", "date", "date_inherited", "headnote", "speakers", "text"),
    Person: ("name", "family", "given", "variants"),
}
for _model, _fields in _HAND_WRITTEN.items():
    if tuple(_model.model_fields) != _fields:
        raise RuntimeError(f"archcite.csl writes {_model.__name__} as {_fields}, the model has {tuple(_model.model_fields)}")


def excerpt_data(excerpt: Excerpt) -> dict[str, Any]:
    """``excerpt.model_dump(mode="json", exclude_defaults=True)``, by hand: over twice as fast."""
    fields = excerpt.__dict__  # see _FIELDS_NOTE
    pages, date, inherited, headnote, speakers, text = (
        fields["pages"], fields["date"], fields["date_inherited"], fields["headnote"], fields["speakers"], fields["text"]
    )  # fmt: skip
    data: dict[str, Any] = {"id": fields["id"], "title": fields["title"]}
    if pages is not None:
        data["pages"] = pages
    if date is not None:
        data["date"] = date.edtf()
    if inherited:
        data["date_inherited"] = inherited
    if headnote is not None:
        data["headnote"] = headnote
    if speakers:
        data["speakers"] = list(speakers)
    if text:
        data["text"] = text
    return data


def person_data(person: Person) -> Any:
    """``compact(person)``: the name alone when the person has nothing else, else
    ``person.model_dump(exclude_defaults=True)``, by hand: several times faster."""
    fields = person.__dict__  # see _FIELDS_NOTE
    name, family, given, variants = fields["name"], fields["family"], fields["given"], fields["variants"]
    if family is None and given is None and not variants:
        return name
    data: dict[str, Any] = {"name": name}
    if family is not None:
        data["family"] = family
    if given is not None:
        data["given"] = given
    if variants:
        data["variants"] = list(variants)
    return data


# compact() of a value of exactly these types (not a subclass).
_COMPACT_EXACTLY: dict[type, Callable[[Any], Any]] = {
    Excerpt: excerpt_data, Person: person_data, FuzzyDate: FuzzyDate.edtf, Language: language_data
}  # fmt: skip


def _load_custom(value: Any) -> Any:
    # archcite's own data: the model validates it, and reports what is wrong with it.
    return value


DATA = Codec(lambda value, document: compact(value), _load_custom)


def _dump_speakers(names: list[str], document: Document | None) -> list[Any]:
    # An excerpt's item carries its speakers' variants too: it may be read without its document.
    return [compact((document.person(n) if document else None) or Person(name=n)) for n in names]


SPEAKERS = Codec(_dump_speakers, lambda value: expect(value, (list,), "expected a list of people"))


# A colon, or spaces before an opening quotation mark.  The spaces are taken possessively
# (\s++): a quotation mark is no space, so giving some back could never match, and the
# regex no longer tries it at every space of a title with an apostrophe in it.
_SHORT_TITLE_END = re.compile(":|\\s++['\"“‘]")
_OPENING_BRACKETS = "(["
_CLOSING_BRACKETS = ")]"


def _outermost_open_bracket(text: str) -> int | None:
    """Where the bracket that is still open at the end of ``text`` was opened (the outermost
    one when they nest); None when every bracket in it is closed."""
    opened: list[int] = []
    for index, char in enumerate(text):
        if char in _OPENING_BRACKETS:
            opened.append(index)
        elif char in _CLOSING_BRACKETS and opened:
            opened.pop()
    return opened[0] if opened else None


# Words that lead into what follows them: a short title cannot end on one (CMOS 14.30
# wants the title's key words).
_LEADING_WORDS = frozenset(
    "a an the and or of on in to for from with by about at as into against between regarding concerning".split()
)
_WORD = re.compile(r"\S+")
_CLOSING_QUOTE = {"'": "'", '"': '"', "“": "”", "‘": "’"}


def _closing_quote(title: str, opening: int) -> int | None:
    """Where the quotation opened at ``opening`` ends (just past its closing mark); None when
    it runs to the end of the title.  A straight or curly single quote followed by a letter
    is an apostrophe (Ch'oe, Khrushchev's), not the close."""
    mark = _CLOSING_QUOTE[title[opening]]
    index = title.find(mark, opening + 1)
    while index != -1:
        after = index + 1
        if after == len(title):
            return None
        if not title[after].isalpha():
            return after
        index = title.find(mark, after)
    return None


def short_title(title: str) -> str | None:
    """Chicago's short title (CMOS 14.30), which MLA's in-text citations also use: the words
    before a colon or a quotation, when that leaves at least two; else None (use the title).

    A colon or quotation inside parentheses or brackets belongs to the parenthetical, not to
    the title's structure: cutting there would leave "(... on" open.  The cut then moves to
    before the parenthetical, which keeps the main title, the words CMOS 14.30 wants."""
    # Most titles have no colon or quotation mark: five substring tests are cheaper than the regex.
    marked = ":" in title or "'" in title or '"' in title or "“" in title or "‘" in title
    end = _SHORT_TITLE_END.search(title) if marked else None
    cut = title[: end.start()] if end else title
    if end and end.group() != ":":
        words = [word.span() for word in _WORD.finditer(cut)]
        kept = len(words)
        while kept and cut[slice(*words[kept - 1])].lower() in _LEADING_WORDS:
            kept -= 1
        if kept >= 2:
            # "... Embassy in Pyongyang on 'X'": the short title ends on "Pyongyang", not "on".
            cut = cut[: words[kept - 1][1]]
        elif kept < len(words):
            # "Notes on" says nothing: the quotation it leads into is the key word
            # ("Notes on 'Juche' and the Economy" -> "Notes on 'Juche'").
            closing = _closing_quote(title, end.end() - 1)
            cut = title[:closing] if closing is not None else title
    if cut != title and ("(" in cut or "[" in cut):
        bracket = _outermost_open_bracket(cut)
        if bracket is not None:
            cut = cut[:bracket]
    cut = cut.strip(" ,;.")
    return cut if cut != title.strip() and len(cut.split()) >= 2 else None


# --- the table ---------------------------------------------------------------

REQUIRED: Any = object()  # the default of a required field: no value equals it


@dataclass(frozen=True)
class Row:
    """One model field and the CSL variable it maps to in each kind of item.

    ``field`` is a dotted path from ``Document``, or from the ``Excerpt`` of an
    excerpt's item when it starts with ``excerpt.``; ``document`` and ``excerpt``
    name the CSL variable in a document's item and in an excerpt's item (None:
    not in that kind of item).  A value equal to the field's default is left
    out, unless ``always`` (its presence says that its section exists).
    """

    field: str
    document: str | None
    excerpt: str | None
    codec: Codec
    note: str = ""
    always: bool = False
    path: tuple[str, ...] = dataclasses.field(init=False)
    default: Any = dataclasses.field(init=False)
    required: bool = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        path = tuple(self.field.split("."))
        model: type[BaseModel] = SECTIONS[path[0]] if len(path) == 2 else Document
        info = model.model_fields[path[-1]]
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "required", info.is_required())
        object.__setattr__(self, "default", REQUIRED if info.is_required() else info.get_default(call_default_factory=True))

    def target(self, for_excerpt: bool) -> str | None:
        return self.excerpt if for_excerpt else self.document


def _both(field: str, variable: str, codec: Codec, note: str = "", always: bool = False) -> Row:
    return Row(field, variable, variable, codec, note, always)


ROWS: tuple[Row, ...] = (
    Row("title", "title", "container-title", TEXT, "An excerpt's item is contained in its document."),
    Row("excerpt.title", None, "title", TEXT, "The excerpt's descriptive title."),
    Row("date", "issued", None, DATE, "`date-parts` (two lists for a range) and `circa`."),
    Row("excerpt.date", None, "issued", DATE, "The date of the excerpt's event."),
    Row("genre", "genre", None, TEXT),
    Row("summary", "abstract", None, TEXT),
    _both("translation.language", "language", LANGUAGE, "BCP 47 tag of the text the item holds."),
    _both("translation.translators", "translator", NAMES, "`{family, given}` from `Person.name_parts()`."),
    _both(
        "translation.translated_for",
        "collection-title",
        TEXT,
        "CSL has no variable for a translation project; the archive files the document in the project's "
        "collection (NKIDP), and archcite's styles print it as 'trans. Gary Goldberg for NKIDP'.",
    ),
    _both("translation.obtained_by", "custom.obtained_by", DATA, "A name, or `{name, family, given, variants}`."),
    _both("original_language", "custom.original_language", DATA, "`{code}`, and `name` when not the usual one."),
    _both(
        "original_publication.title",
        "original-title",
        PROTECTED_TEXT,
        'In `<span class="nocase">` (cited as printed), then ` <i>[translated title]</i>`, which '
        "processors print roman inside the italic title.",
    ),
    _both("original_publication.title_translated", "custom.original_title_translated", TEXT),
    _both("original_publication.authors", "original-author", NAMES),
    _both("original_publication.publisher", "original-publisher", TEXT),
    _both("original_publication.place", "original-publisher-place", TEXT),
    _both("original_publication.date", "original-date", DATE),
    Row("original_publication.pages", "page", None, PAGES, "The document's pages in the publication."),
    Row("excerpt.pages", None, "page", PAGES, "The excerpt's pages in the publication."),
    _both("archival_source.archive", "archive", TEXT),
    _both("archival_source.collection", "archive_collection", TEXT),
    _both("archival_source.location", "archive_location", TEXT, "Fond/opis/delo or box/folder, as cited."),
    _both("archival_source.place", "archive-place", TEXT),
    _both("repository.name", "source", TEXT, "The digital archive, e.g. Wilson Center Digital Archive."),
    _both("repository.url", "URL", TEXT),
    _both("repository.identifier", "custom.repository_identifier", TEXT),
    _both("funding.funders", "custom.funders", DATA, "Written even when empty: it marks the funding section.", always=True),
    _both("funding.credit", "custom.funding_credit", TEXT, "The credit line as printed."),
    Row("people", "custom.people", None, DATA, "A name, or `{name, family, given, variants}`."),
    Row("excerpt.speakers", None, "custom.speakers", SPEAKERS, "As people, with their variants."),
    Row("excerpt.headnote", None, "custom.headnote", TEXT),
    Row("excerpt.text", None, "custom.text", TEXT),
    Row("excerpt.date_inherited", None, "custom.date_inherited", DATA, "Written only when true."),
    Row("excerpts", "custom.excerpts", None, DATA, "Every excerpt: a document's item alone is the whole record."),
    Row("citation", "custom.citation", None, TEXT, "The archive's citation line, verbatim."),
)
"""The mapping, in the order the variables are written."""

# What the reader and writer handle around the rows: an item's identity, its type,
# its document, and the sentence it shows people.
STRUCTURE: tuple[tuple[str, str, str, str], ...] = (
    ("id", "`id`", "`id`", "An excerpt's item: `<document id>:<excerpt id>`, e.g. `wcda-114978:p19-20`."),
    ("(kind of item)", "`type`", "`type`", f'Always `"{CSL_TYPE}"`; any type is read.'),
    ("(the excerpt's document)", "—", "`custom.parent`", "The document's id: the reader merges the excerpt into it."),
    (
        "(short title)",
        "`title-short`",
        "`title-short`",
        "Derived from the title for short notes and MLA in-text citations (CMOS 14.30); written, not read back.",
    ),
    (
        "`translation.translated_for`, `funding.credit`",
        "`note`",
        "`note`",
        "A sentence for people (Zotero shows it as Extra); written, not read back.",
    ),
)

FALLBACK_NOTE = (
    "`custom.<variable>` (e.g. `custom.translator`) holds the exact value when a CSL variable cannot carry it: "
    "name variants or an explicit family/given split, a range with one approximate end or with ends of "
    "different precision (citeproc-js refuses those; the variable gets both ends cut to the coarser one), "
    "a language's own name."
)


def custom_key(target: str) -> str | None:
    """'custom.people' -> 'people'; None for a CSL variable."""
    return target[7:] if target.startswith("custom.") else None


def markdown_table() -> str:
    """The mapping as a Markdown table, for the README."""

    def cell(variable: str | None) -> str:
        return f"`{variable}`" if variable else "—"

    lines = ["| archcite field | document's item | excerpt's item | notes |", "| --- | --- | --- | --- |"]
    lines += [f"| {f} | {d} | {e} | {n} |" for f, d, e, n in STRUCTURE[:2]]
    lines += [f"| `{r.field}` | {cell(r.document)} | {cell(r.excerpt)} | {r.note} |" for r in ROWS]
    lines += [f"| {f} | {d} | {e} | {n} |" for f, d, e, n in STRUCTURE[2:]]
    return "\n".join(lines) + "\n\n" + FALLBACK_NOTE + "\n"

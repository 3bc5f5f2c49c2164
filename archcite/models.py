"""The provenance of a translated archival document, as Pydantic models.

The chain is ``Excerpt`` -> ``Document`` -> ``OriginalPublication`` /
``ArchivalSource``: an excerpt is cited inside its document, and the document
was translated from a book or an archive file.  Every model forbids unknown
fields, so a typo in a hand-edited record is an error, not silently lost data.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)

from .ids import EXCERPT_ID, RECORD_ID
from .languages import NAMES, TAGS


# Half of a UTF-16 pair: JSON ("\\ud800") and YAML escapes can produce one, but it is no
# character and cannot be written as UTF-8, so a record holding one fails on every output.
# Encoding fails for exactly these (U+D800-U+DFFF) and is several times faster than a search.
def _clean_text(value: Any) -> Any:
    if not isinstance(value, str) or value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"{value!r} holds an unpaired surrogate, which is not a character; "
            "fix the escape (e.g. \\ud83d\\ude00 is one character, \\ud83d alone is none)"
        ) from None
    return value


def _empty_list() -> list[Any]:
    """The default of the list fields.  Not ``default_factory=list``: Pydantic asks each
    factory's signature (does it take the data?), and the signature of the built-in ``list``
    is read from its text form with ``tokenize``, whose big pattern is then compiled: about
    5-8 ms of building the validators, for the same empty list."""
    return []


class Model(BaseModel):
    # Numbers become strings so that a hand-written `pages: 25` is not an error.
    model_config = ConfigDict(extra="forbid", validate_assignment=True, coerce_numbers_to_str=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        # Runs for every field of every model, about fifty times a document: the common
        # cases (ASCII text, lists of models) are answered inline, without more calls.
        if isinstance(value, str):
            if not value.isascii():
                _clean_text(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str) and not item.isascii():
                    _clean_text(item)
        return value


# --- dates ------------------------------------------------------------------

_EDTF_POINT = r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?"
_EDTF = re.compile(rf"^{_EDTF_POINT}(~)?(?:/{_EDTF_POINT}(~)?)?$")
DATE_PATTERN = _EDTF.pattern


class FuzzyDate(BaseModel):
    """A historical date: exact (1960-06-17), partial (1961-03, 1955),
    approximate (1955~) or a range (1960-06/1961-03).

    Written in records as the Extended Date/Time Format (EDTF, ISO 8601-2)
    subset above, because historians already meet it in archive catalogues.

        >>> date = FuzzyDate.model_validate("1960-06/1961-03")
        >>> date.parts(), date.end.parts(), date.edtf()
        ((1960, 6), (1961, 3), '1960-06/1961-03')
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    year: int = Field(description="Year, four digits.")
    month: int | None = Field(None, description="Month 1-12, when known.")
    day: int | None = Field(None, description="Day of the month, when known.")
    approximate: bool = Field(False, description="The date is circa (EDTF '~').")
    end: FuzzyDate | None = Field(None, description="Last day of a range, when the date is a range.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:04d}"
        if isinstance(value, str):
            return cls._parse_edtf(value.strip())
        return value

    @staticmethod
    def _parse_edtf(text: str) -> dict[str, Any]:
        match = _EDTF.match(text)
        if not match:
            raise ValueError(
                f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, "
                "with '~' for circa and '/' between the ends of a range"
            )
        y, m, d, approx, y2, m2, d2, approx2 = match.groups()
        start: dict[str, Any] = {"year": int(y), "month": _int(m), "day": _int(d), "approximate": bool(approx)}
        if y2:
            start["end"] = {"year": int(y2), "month": _int(m2), "day": _int(d2), "approximate": bool(approx2)}
        return start

    @model_validator(mode="after")
    def _check_calendar(self) -> FuzzyDate:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        if self.day is not None and self.month is not None:
            try:
                _dt.date(self.year, self.month, self.day)
            except ValueError:
                raise ValueError(f"{self.year:04d}-{self.month:02d}-{self.day:02d} is not a day of the calendar") from None
        if self.end is not None:
            if self.end.end is not None:
                raise ValueError("a range cannot nest another range")
            # Compare as far as both ends are known: 1960-06-17/1960-06 is a fine range.
            common = min(len(self.parts()), len(self.end.parts()))
            if self.end.parts()[:common] < self.parts()[:common]:
                raise ValueError("a range must end after it starts")
        return self

    # Defined after the validators above, so it wraps them: it sees the input first.
    @model_validator(mode="wrap")
    @classmethod
    def _made_already(cls, value: Any, handler: ModelWrapValidatorHandler[FuzzyDate]) -> FuzzyDate:
        if type(value) is cls:
            # Frozen, and checked when it was made: a date handed on to a document or an
            # excerpt is not checked again (half the date checks of a record-text import).
            return value
        return handler(value)

    @model_serializer
    def _to_text(self) -> str:
        return self.edtf()

    # parts() and edtf() are spelled out case by case, and read the fields from __dict__
    # (a subscript, not BaseModel's attribute hook: archcite.csl's _FIELDS_NOTE): export
    # writes every date.
    def parts(self) -> tuple[int, ...]:
        """(year, month, day) as far as known: the CSL ``date-parts`` of one end."""
        fields = self.__dict__
        year, month, day = fields["year"], fields["month"], fields["day"]
        if month is None:
            return (year,) if day is None else (year, day)
        return (year, month) if day is None else (year, month, day)

    def edtf(self) -> str:
        fields = self.__dict__
        year, month, day, end = fields["year"], fields["month"], fields["day"], fields["end"]
        if month is None:
            text = "%04d" % year if day is None else "%04d-%02d" % (year, day)
        else:
            text = "%04d-%02d" % (year, month) if day is None else "%04d-%02d-%02d" % (year, month, day)
        if fields["approximate"]:
            text += "~"
        return text if end is None else text + "/" + end.edtf()

    def __str__(self) -> str:
        return self.edtf()


def _int(text: str | None) -> int | None:
    return int(text) if text else None


Date = Annotated[
    FuzzyDate,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DATE_PATTERN,
            "description": "EDTF date: 1960-06-17, 1961-03, 1955, 1955~ (circa), 1960-06/1961-03 (range).",
            "examples": ["1960-06-17", "1961-03", "1955~", "1960-06/1961-03"],
        }
    ),
]


# --- languages --------------------------------------------------------------


class Language(Model):
    """A language as a BCP 47 tag, with the English name a reader sees.

        >>> Language.model_validate("ru").name
        'Russian'
    """

    code: str = Field(description="BCP 47 language tag, e.g. 'ru', 'ko', 'zh-Hant'.", examples=["ru"])
    name: str = Field("", description="English display name; filled in from the code when left out.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return language_from_text(value)
        return value

    @field_validator("code")
    @classmethod
    def _valid_tag(cls, code: str) -> str:
        return _standard_tag(code)

    @model_validator(mode="after")
    def _fill_name(self) -> Language:
        if not self.name:
            object.__setattr__(self, "name", _display_name(self.code))
        return self


# The common tags and names come from archcite.languages, a table of langcodes' own answers:
# importing langcodes and its name data costs about 0.25 s, more than the rest of a
# `cite` command.  Anything else is asked of langcodes, with the same results.


def _standard_tag(code: str) -> str:
    """The standard form of a valid BCP 47 tag; ValueError for anything else."""
    known = TAGS.get(code)
    if known is not None:
        return known[0]
    import langcodes

    if not langcodes.tag_is_valid(code):
        raise ValueError(f"{code!r} is not a BCP 47 language tag (e.g. 'ru', 'en', 'ko')")
    return str(langcodes.standardize_tag(code))


@lru_cache(maxsize=256)
def _display_name(code: str) -> str:
    known = TAGS.get(code)
    if known is not None and known[0] == code:
        return known[1]
    import langcodes

    return str(langcodes.Language.get(code).display_name())


@lru_cache(maxsize=256)
def language_from_text(text: str) -> dict[str, str]:
    """'Russian' or 'ru' -> {'code': 'ru', 'name': 'Russian'}."""
    text = text.strip()
    if text in TAGS:
        code = TAGS[text][0]
        return {"code": code, "name": _display_name(code)}
    if text in NAMES:
        return {"code": NAMES[text], "name": text}
    return _language_from_langcodes(text)


def _language_from_langcodes(text: str) -> dict[str, str]:
    """``language_from_text`` for what the table does not hold: langcodes decides."""
    import langcodes

    if langcodes.tag_is_valid(text) and len(text) <= 12 and " " not in text:
        code = str(langcodes.standardize_tag(text))
        return {"code": code, "name": _display_name(code)}
    try:
        code = str(langcodes.find(text))
    except LookupError:
        raise ValueError(
            f"unknown language {text!r}; give a BCP 47 code instead, e.g. {{code: ru, name: Russian}}"
        ) from None
    return {"code": code, "name": text}


# --- people -----------------------------------------------------------------


class Person(Model):
    """A person, with the other spellings and romanizations sources use.

        >>> Person(name="Gary Goldberg").name_parts()
        ('Goldberg', 'Gary')
        >>> Person(name="Kim Gwang-hyeop", family="Kim", given="Gwang-hyeop", variants=["Kim Kwang Hyop"]).name_parts()
        ('Kim', 'Gwang-hyeop')
    """

    name: str = Field(description="The name as the record prints it, e.g. 'Kim Gwang-hyeop' or 'Gary Goldberg'.")
    family: str | None = Field(
        None, description="Family name, for citation formats that split names; derived when left out."
    )
    given: str | None = Field(None, description="Given name(s) or initials; derived when left out.")
    variants: list[str] = Field(
        default_factory=_empty_list,
        description="Other spellings and romanizations of the same person, e.g. 'Kim Kwang Hyop'.",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @field_validator("name")
    @classmethod
    def _not_blank(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("a name cannot be empty")
        return name.strip()

    def name_parts(self) -> tuple[str, str]:
        """(family, given): the explicit parts, else the last word as family name."""
        fields = self.__dict__  # export splits every name: archcite.csl's _FIELDS_NOTE
        family = fields["family"]
        if family is not None:
            return family, fields["given"] or ""
        words = fields["name"].split()
        if len(words) == 1:
            return words[0], ""
        return words[-1], " ".join(words[:-1])


# --- provenance -------------------------------------------------------------


class OriginalPublication(Model):
    """The printed source a translation was made from (a book, an article).

        >>> book = OriginalPublication(authors=[Person(name="V. P. Tkachenko")], title="Koreiskii Poluostrov i interesi Rossii",
        ...                            title_translated="The Korean Peninsula and Russia's Interests", place="Moscow", date="2000")
        >>> book.date.edtf()
        '2000'
    """

    authors: list[Person] = Field(default_factory=_empty_list, description="Authors or editors as printed.")
    title: str = Field(description="Title as printed, transliterated where the script is not Latin.")
    title_translated: str | None = Field(None, description="English translation of the title, as given in brackets.")
    place: str | None = Field(None, description="Place of publication.")
    publisher: str | None = Field(None, description="Publisher.")
    date: Date | None = Field(None, description="Date of publication.")
    pages: str | None = Field(None, description="Pages of the publication the translation covers.")


class ArchivalSource(Model):
    """The archive file a document is kept in.

        >>> ArchivalSource(archive="AVPRF", location="fond 0102, opis 16, delo 6, listy 1-5").archive
        'AVPRF'
    """

    archive: str = Field(description="Name of the archive, e.g. 'Archive of Foreign Policy of the Russian Federation (AVPRF)'.")
    place: str | None = Field(None, description="City or country of the archive.")
    collection: str | None = Field(None, description="Collection, record group or papers within the archive.")
    location: str | None = Field(
        None, description="Place within the archive: fond/opis/delo/list, or box/folder, as cited."
    )


class Translation(Model):
    """Who turned the document into the language the reader has.

        >>> Translation(language="en", translators=[Person(name="Gary Goldberg")], translated_for="NKIDP").language.name
        'English'
    """

    language: Language = Field(description="Language of the translation the record holds.")
    translators: list[Person] = Field(default_factory=_empty_list, description="Translators, in the order credited.")
    translated_for: str | None = Field(None, description="Project the translation was made for, e.g. 'NKIDP'.")
    obtained_by: list[Person] = Field(
        default_factory=_empty_list, description="People who obtained the original from the archive."
    )


class Funding(Model):
    """Who paid for the document's translation or publication.

        >>> Funding(funders=["Leon Levy Foundation"]).funders
        ['Leon Levy Foundation']
    """

    funders: list[str] = Field(default_factory=_empty_list, description="Funding bodies, e.g. 'Leon Levy Foundation'.")
    credit: str | None = Field(None, description="The credit line as the archive prints it.")


_HTTP_URL = re.compile(r"^https?://\S+$")


class Repository(Model):
    """The digital archive that serves the document.

        >>> Repository(name="Wilson Center Digital Archive", url="https://digitalarchive.wilsoncenter.org/document/114978").url
        'https://digitalarchive.wilsoncenter.org/document/114978'
    """

    name: str = Field(description="Name of the digital archive, e.g. 'Wilson Center Digital Archive'.")
    url: str | None = Field(None, description="URL of the document in the digital archive.")
    identifier: str | None = Field(None, description="The archive's identifier for the document, e.g. '114978'.")

    @field_validator("url")
    @classmethod
    def _http(cls, url: str | None) -> str | None:
        if url is not None and not _HTTP_URL.match(url):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url


class Excerpt(Model):
    """One excerpt of a document's body: a page range with its own date and speakers.

        >>> excerpt = Excerpt(id="p19-20", title="Conversation between Kim Il Sung and N. S. Khrushchev", pages="19-20",
        ...                   date="1960-06-17", speakers=["Kim Il Sung", "N. S. Khrushchev"])
        >>> excerpt.date.edtf(), excerpt.speakers[0]
        ('1960-06-17', 'Kim Il Sung')
    """

    id: str = Field(description="'p<pages>' (p19-20) or 'e<n>' when the body has no page markers.")
    title: str = Field(description="Descriptive title, e.g. 'Conversation between Kim Il Sung and N. S. Khrushchev'.")
    pages: str | None = Field(None, description="Page or page range in the original publication, e.g. '19-20'.")
    date: Date | None = Field(None, description="Date of the excerpt's event, from its headnote.")
    date_inherited: bool = Field(
        False, description="True when the date comes from the excerpt before, which this one continues."
    )
    headnote: str | None = Field(None, description="The bracketed headnote that opens the excerpt, without brackets.")
    speakers: list[str] = Field(
        default_factory=_empty_list, description="Names of the speakers in order of first turn; each is in the document's people."
    )
    text: str = Field("", description="Text of the excerpt, with [...] elisions and translator's notes kept.")

    @field_validator("id")
    @classmethod
    def _excerpt_id(cls, value: str) -> str:
        if not EXCERPT_ID.match(value):
            raise ValueError(f"{value!r} is not an excerpt id; use p<pages> such as p19-20, or e<n> such as e1")
        return value


class Document(Model):
    """A translated archival document and its provenance: the unit of a record file.

        >>> document = Document(id="wcda-114978", title="Excerpts from V.P. Tkachenko", date="1960-06-17",
        ...                     excerpts=[Excerpt(id="p19-20", title="Conversation", pages="19-20")])
        >>> document.excerpt("p19-20").pages
        '19-20'
    """

    id: str = Field(description="Record id: 'wcda-<number>' for Wilson Center documents, a safe slug otherwise.")
    title: str = Field(description="Title as the digital archive gives it.")
    date: Date | None = Field(None, description="Date of the document (of its first part, for a compilation).")
    summary: str | None = Field(None, description="The archive's summary of the document.")
    genre: str | None = Field(None, description="Kind of document, e.g. 'Record of conversation'.")
    original_language: Language | None = Field(None, description="Language the document was written in.")
    translation: Translation | None = Field(None, description="The translation the record holds.")
    original_publication: OriginalPublication | None = Field(
        None, description="The book or article the document was translated from, when it was published."
    )
    archival_source: ArchivalSource | None = Field(None, description="The archive file the document is kept in.")
    repository: Repository | None = Field(None, description="The digital archive that serves the document.")
    funding: Funding | None = Field(None, description="Funding credited for the document.")
    people: list[Person] = Field(
        default_factory=_empty_list, description="People who speak in the document, each once, with their name variants."
    )
    excerpts: list[Excerpt] = Field(default_factory=_empty_list, description="The excerpts of the body, in order.")
    citation: str | None = Field(None, description="The citation line exactly as the archive gives it.")

    @field_validator("id")
    @classmethod
    def _record_id(cls, value: str) -> str:
        if not RECORD_ID.match(value):
            raise ValueError(
                f"{value!r} is not a record id; use lower-case letters, digits, '.', '_' and '-' (e.g. wcda-114978)"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Document:
        seen: set[str] = set()
        for excerpt in self.excerpts:
            if excerpt.id in seen:
                raise ValueError(f"two excerpts have the id {excerpt.id!r}")
            seen.add(excerpt.id)
        names = {p.name for p in self.people}
        for excerpt in self.excerpts:
            for speaker in excerpt.speakers:
                if speaker not in names:
                    raise ValueError(f"excerpt {excerpt.id}: speaker {speaker!r} is not in the document's people")
        return self

    def excerpt(self, excerpt_id: str) -> Excerpt:
        from .errors import SelectorError

        for excerpt in self.excerpts:
            if excerpt.id == excerpt_id:
                return excerpt
        known = ", ".join(e.id for e in self.excerpts) or "none"
        raise SelectorError(f"{self.id} has no excerpt {excerpt_id!r} (it has: {known})")

    def person(self, name: str) -> Person | None:
        return next((p for p in self.people if p.name == name), None)

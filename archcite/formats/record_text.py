"""The plain-text archive record (Wilson Center Digital Archive layout) -> Document.

The layout is: a date line, a title line, then sections headed ``Citation:``,
``Summary:``, ``Credits:``, ``Original Language:`` and ``Contents:``, then the
body.  The body holds excerpts that start at page markers such as ``[19-20]``.
Each step below is a small function so that a new record variant means a new
case in one place.

Every problem with the text is raised as a RecordError that names the line;
nothing else may escape ``load``: helpers raise RecordError (or the dates
module's DateError, which the reader locates), never a bare ValueError.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from ..dates import DateError, find_date, parse_date
from ..errors import RecordError
from ..models import Document, language_from_text

SECTIONS = ("citation", "summary", "credits", "original language", "contents")
_HEADER = re.compile(r"^\s*(citation|summary|credits|original language|contents)\s*:\s*$", re.IGNORECASE)
# A line that is only "Words:", to catch misspelt headings ("Sumary:") before they are read as text.
_HEADING_LIKE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{2,30}?)\s*:\s*$")
# The items of the Contents section: "Translation - English", "Original Scan".  Tight on
# purpose: the body that follows must not be mistaken for more items.
_CONTENTS_ITEM = re.compile(
    r"^(?:(?:translation|transcript)\s*[-–:]\s*[^\W\d_]+(?:[ -][^\W\d_]+)?|original(?: scan)?|scan)$", re.IGNORECASE
)
_CONTENTS_LANGUAGE = re.compile(r"^\s*translation\s*[-–:]\s*(.+?)\s*$", re.IGNORECASE)
# [0-9], not \d, wherever a number becomes an id: \d also matches other scripts' digits.
_PAGE_MARKER = re.compile(r"^\[\s*([0-9]{1,5})(?:\s*[-–]\s*([0-9]{1,5}))?\s*\]$")
_ELISION = re.compile(r"^\[\s*(?:\.\s*){3}\]$|^\[…\]$")
# A page number with stray or missing brackets ("[[19-20]]", "]19-20[", "[21"): meant as a
# page marker, but read as text it would silently merge two excerpts.
# It must hold a bracket too: _looks_like_broken_marker tests that with 'in', which is much
# cheaper than a look-ahead scanning every paragraph.
_BROKEN_MARKER = re.compile(r"^[\[\]\s]*[0-9]{1,5}(?:\s*[-–]\s*[0-9]{1,5})?[\[\]\s]*$")
# URLs come in angle brackets, bare, or bare without a scheme ("digitalarchive.wilsoncenter.org/document/1").
# The scheme-less form needs a known top-level domain so that "1965/Coreea" is not a URL.
_HOST_PATH = r"(?:[a-z0-9-]+\.)+(?:org|edu|com|net|gov|int|info|ru|cn|kr|hu|de|uk)/"
_URL = re.compile(
    rf"<\s*(?P<bracketed>(?:https?://|{_HOST_PATH})[^\s<>]*)\s*>"
    r"|(?P<bare>https?://[^\s<>\"]+)"
    rf"|(?<![\w@/.-])(?P<schemeless>{_HOST_PATH}[^\s<>\"]*)",
    re.IGNORECASE,
)
_WILSON_URL = re.compile(r"^https?://(?:www\.)?digitalarchive\.[a-z.]+/document/([0-9]+)", re.IGNORECASE)

# A personal name: initials ("N. S.", "V.P.") and words, two to five of them.  Any letter may
# open a word ("Ödön Kovács", "Ch'oe Yong-gŏn"); that names are capitalized is checked by
# _is_name, because Python's re has no class for upper-case letters of all scripts.
_LETTER = r"[^\W\d_]"
# The runs of word characters are possessive (*+, ++): what follows a word (a space, '.', '[',
# '(', '-', the end) is never a word character, so giving characters back cannot make a match,
# and not trying halves the time of these patterns on text that is no name.
_NAME_WORD = rf"(?:{_LETTER}\.(?:\s?{_LETTER}\.)*|{_LETTER}[\w'’]*+(?:-[\w'’]++)*)"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}"
_VARIANT = r"(?:\s*\[(?P<v1>[^\[\]]{2,60})\]|\s*\((?P<v2>[^()]{2,60})\))"
_TURN = re.compile(rf"^(?P<name>{_NAME}){_VARIANT}?\.\s+(?=\S)")
_LABEL = re.compile(rf"^\[(?P<name>{_NAME}){_VARIANT}?\]\s*")
_NAME_ONLY = re.compile(rf"^(?P<name>{_NAME}){_VARIANT}?$")
# Capitalized words that open sentences or name places and bodies, never speakers.
_NOT_NAMES = {
    "a", "an", "all", "as", "at", "but", "by", "cde", "comrade", "during", "for", "from", "further",
    "he", "her", "his", "however", "i", "if", "in", "it", "like", "mr", "mrs", "dr", "no", "of", "on",
    "our", "she", "so", "that", "the", "their", "then", "there", "these", "they", "this", "to", "we",
    "what", "when", "yes", "you", "central", "committee", "government", "korea", "north", "south",
    "party", "people's", "republic", "soviet", "union", "ministry", "embassy", "translator's", "note",
}  # fmt: skip
# Lower-case words that may stand inside a name ("Charles de Gaulle").
_PARTICLES = {"al", "bin", "da", "de", "del", "den", "der", "di", "du", "ibn", "la", "le", "van", "von"}
_BRACKET = re.compile(r"[\[\]]")
_LANGUAGE_LIST = re.compile(r"\s*(?:,|;|\band\b)\s*")
_DATE_PREPOSITION = re.compile(r"\s*\b(on|of|dated)\s*$")
_INITIALS = re.compile(r"(?:\w\.)+")
_NOTE = re.compile(r"^(?:(?:translator|editor)['’]?s\s+note\b|note\s*:)", re.IGNORECASE)
# The verbs Wilson Center credit lines open with ("Obtained and contributed by", "Translated
# from the Chinese by", "Edited by").  Only "obtained" and "translated"/"translation" have a
# field in the model; the others are recognised so that they end the source and are reported,
# not read as part of the archive's location or of a translator's name.
_CREDIT_VERB = (
    r"(?:obtained|translated|translation|contributed|donated|edited|transcribed|provided|compiled"
    r"|annotated|introduced|selected|prepared)"
)
# "Obtained and translated", "Translated, edited and annotated": verbs sharing one "by".
_CREDIT_VERBS = rf"{_CREDIT_VERB}(?:(?:\s*,\s*|\s+)(?:(?:and|&)\s+)?{_CREDIT_VERB})*"
# Where the credits begin: at the start or after a space or punctuation, a run of credit verbs
# followed by "by", "for" or "from", so that a title word such as "Selected" alone is no start.
# The look-ahead for a first letter spares trying the verbs at every position.
_CREDITS_START = re.compile(
    rf"(?<![^\s.,;])(?=[otcdepais])(?={_CREDIT_VERBS}\s+(?:by|for|from)\b)",
    re.IGNORECASE,
)
_REPOSITORY = re.compile(r"(digital archive|public policy program|wilson center)", re.IGNORECASE)
_FUNDING = re.compile(
    r"(?:support|funding|grant|generosity)\s+(?:from|of)\s+(?P<who>.+)$|(?:made possible by|funded by)\s+(?P<who2>.+)$",
    re.IGNORECASE,
)
_LOCATION_WORD = re.compile(
    r"^(fond|f\.|opis|op\.|delo|d\.|papka|list|listy|l\.|ll\.|box|folder|file|rg|record group|series|reel|item|doc)\b",
    re.IGNORECASE,
)
# One document; the reader handles about 4 million characters a second, so a limit
# keeps a wrong file from hanging the command for minutes.
MAX_CHARS = 4_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters as bytes: in UTF-8 a byte below 0x80 is always that ASCII character, so
# deleting these from the encoded text finds a control character about three times as fast
# as the pattern's search, which then only locates one that is there.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _has_control(text: str) -> bool:
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded)


@dataclass(slots=True)  # made for every paragraph: slots make it quicker to build
class _Paragraph:
    text: str
    line: int


@dataclass
class _Section:
    name: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def load(text: str, path: str | None = None) -> Document:
    """Read one archive record text into a Document; raise RecordError for any fault in it."""
    return load_with_notes(text, path)[0][0]


def load_with_notes(text: str, path: str | None = None) -> tuple[list[Document], list[str]]:
    """The document, and located notes on what the reader could not put in a field (a credit
    such as "edited by" that the model has no role for, a credit it cannot read).

    Such text is not lost: the document keeps the citation line as printed."""
    if len(text) > MAX_CHARS:
        raise RecordError(
            f"{len(text) / 1e6:.0f} million characters is too long for one record text (the limit is "
            f"{MAX_CHARS // 1_000_000} million; the longest archive documents are well under one): "
            "is this several records joined, or not a record text? Split it",
            path,
        )
    reader = _RecordReader(text, path)
    try:
        document = reader.read()
    except RecordError as exc:
        # Helpers that do not know the file raise without a path.
        raise exc.located(path)
    return [document], reader.notes


class _RecordReader:
    def __init__(self, text: str, path: str | None) -> None:
        self.text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        self.path = path
        self.notes: list[str] = []
        self.source_language: str | None = None  # from the citation's credits, for _credited_language

    def error(self, message: str, line: int | None = None) -> RecordError:
        return RecordError(message, self.path, line)

    def note(self, message: str, line: int | None = None) -> None:
        # Located like an error ("path:line: message"), as the BibTeX reader's notes are.
        self.notes.append(str(self.error(message, line)))

    # --- layout ---------------------------------------------------------------

    def read(self) -> Document:
        control = _CONTROL.search(self.text) if _has_control(self.text) else None
        if control:
            line = self.text.count("\n", 0, control.start()) + 1
            raise self.error(
                f"control character {control.group()!r} in the text; is this a binary file? Remove the character", line
            )
        head, sections, body = self._split_layout()
        data: dict[str, Any] = {}
        self._read_head(head, data)
        citation = sections.get("citation")
        if citation is not None:
            self._read_citation(citation, data)
        if "title" not in data:
            raise self.error(
                "no title: the record must start with a date line and a title line, or have a 'Citation:' section", 1
            )
        if "summary" in sections:
            data["summary"] = _join(sections["summary"].lines) or None
        if "credits" in sections:
            data["funding"] = _read_funding(_join(sections["credits"].lines))
        if "original language" in sections:
            self._read_language(sections["original language"], data)
        if citation is not None:
            self._credited_language(citation, data)
        version_language = self._contents_language(sections.get("contents"))
        if version_language or data.get("translation"):
            data.setdefault("translation", {})["language"] = version_language or "en"
        data["id"] = _record_id(data)
        data["people"], data["excerpts"] = _ExcerptReader(self).read(body)
        if "date" not in data and data["excerpts"] and data["excerpts"][0].get("date"):
            data["date"] = data["excerpts"][0]["date"]
        try:
            return Document.model_validate(data)
        except ValidationError as exc:
            raise self.error(f"the record does not make a valid document: {brief(exc)}") from None

    def _split_layout(self) -> tuple[list[tuple[int, str]], dict[str, _Section], list[_Paragraph]]:
        head: list[tuple[int, str]] = []
        sections: dict[str, _Section] = {}
        current: _Section | None = None
        for number, line in enumerate(self.text.split("\n"), start=1):
            # Headings, right or misspelt, end in ':'; most lines hold none, and skip both patterns.
            if ":" in line:
                header = _HEADER.match(line)
                if header:
                    name = header.group(1).lower()
                    if name in sections:
                        raise self.error(
                            f"the '{header.group(1)}:' section appears twice (first at line {sections[name].line}); "
                            "merge the two or remove one",
                            number,
                        )
                    current = sections[name] = _Section(name, number)
                    continue
                self._check_heading(line, number)
            (head if current is None else current.lines).append((number, line))
        if current is None:
            # No sections at all: a title-and-body file.  The body starts at the
            # first page marker or elision.
            start = next(
                (i for i, (_, t) in enumerate(head) if _PAGE_MARKER.match(t.strip()) or _ELISION.match(t.strip())),
                len(head),
            )
            return head[:start], sections, _paragraphs(head[start:])
        # The last section holds its own value, then the body.
        current.lines, body = _take_value(current)
        for section in sections.values():
            self._check_section(section)
        self._check_body_start(body, sections)
        return head, sections, _paragraphs(body)

    def _check_heading(self, line: str, number: int) -> None:
        """A misspelt heading would silently become text of the section above it."""
        heading = _HEADING_LIKE.match(line)
        if not heading:
            return
        import difflib  # only for a line that looks like a heading and is none: rare

        close = difflib.get_close_matches(heading.group(1).strip().lower(), SECTIONS, n=1, cutoff=0.85)
        if close:
            raise self.error(f"{line.strip()!r} is not a section heading; did you mean '{close[0].title()}:'?", number)

    def _check_section(self, section: _Section) -> None:
        """A section with more than it can hold means the heading of the next one is missing."""
        if section.name == "citation":
            extra = [p for p in _paragraphs(section.lines)[1:] if not _URL.fullmatch(p.text)]
            if extra:
                raise self.error(
                    "a second paragraph in the 'Citation:' section, which holds one citation and its URL; "
                    "is a heading such as 'Summary:' missing above this line?",
                    extra[0].line,
                )
        elif section.name == "original language" and len(paragraphs := _paragraphs(section.lines)) > 1:
            raise self.error(
                "a second paragraph in the 'Original Language:' section, which holds one language; "
                "is a heading missing above this line?",
                paragraphs[1].line,
            )
        elif section.name == "contents":
            for number, line in section.lines:
                if line.strip() and not _CONTENTS_ITEM.match(line.strip()):
                    raise self.error(
                        f"{line.strip()!r} is not a 'Contents:' item such as 'Translation - English' or 'Original Scan'",
                        number,
                    )

    def _check_body_start(self, body: list[tuple[int, str]], sections: dict[str, _Section]) -> None:
        """'Translation - English' opening the body means the 'Contents:' heading is missing."""
        first = next(((n, t.strip()) for n, t in body if t.strip()), None)
        if first and "contents" not in sections and _CONTENTS_ITEM.match(first[1]):
            raise self.error(
                f"{first[1]!r} is a contents item, but there is no 'Contents:' heading above it; add the heading",
                first[0],
            )

    def _read_head(self, head: list[tuple[int, str]], data: dict[str, Any]) -> None:
        filled = [(n, t.strip()) for n, t in head if t.strip()]
        if not filled:
            return
        number, first = filled[0]
        try:
            data["date"] = parse_date(first)
            head = [(n, t) for n, t in head if n > number]
        except DateError as exc:
            # A first line with digits was meant as the date; one without is the title.
            if any(ch.isdigit() for ch in first) and len(first) < 40:
                raise self.error(f"date line: {exc}; correct it (e.g. 'June 17, 1960')", number) from None
        paragraphs = _paragraphs(head)
        if len(paragraphs) > 1:
            raise self.error(
                "text after the title and before the first section; is the 'Citation:' heading missing above it?",
                paragraphs[1].line,
            )
        if paragraphs:
            data["title"] = paragraphs[0].text

    def _read_language(self, section: _Section, data: dict[str, Any]) -> None:
        line = next(((n, t) for n, t in section.lines if t.strip()), None)
        if line:
            # "Russian and Korean": the record has room for one, the first.
            first = _LANGUAGE_LIST.split(line[1].strip())[0]
            data["original_language"] = self._language(first, line[0])

    def _credited_language(self, section: _Section, data: dict[str, Any]) -> None:
        """"Translated from the Chinese": the original language, when no section gives it."""
        named = self.source_language
        if named is None:
            return
        line = next((n for n, t in section.lines if t.strip()), section.line)
        try:
            language = language_from_text(named)
        except ValueError:
            self.note(f"citation: {named!r} in 'translated from' is no language archcite knows; ignored", line)
            return
        given = data.get("original_language")
        if given is None:
            data["original_language"] = language
        elif given["code"] != language["code"]:
            self.note(
                f"citation: translated from {named!r}, but the 'Original Language:' section says "
                f"{given['name']!r}; kept the section's",
                line,
            )

    def _contents_language(self, section: _Section | None) -> dict[str, str] | None:
        """The language of the version the record holds: 'Translation - English'."""
        for number, line in section.lines if section else []:
            match = _CONTENTS_LANGUAGE.match(line)
            if match:
                return self._language(match.group(1), number)
        return None

    def _language(self, text: str, line: int) -> dict[str, str]:
        try:
            return language_from_text(text)
        except ValueError:
            raise self.error(
                f"unknown language {text!r}; write its English name (e.g. 'Russian') or a BCP 47 code (e.g. 'ru')",
                line,
            ) from None

    # --- the citation line ----------------------------------------------------

    def _read_citation(self, section: _Section, data: dict[str, Any]) -> None:
        text = " ".join(t.strip() for _, t in section.lines if t.strip())
        if not text:
            return
        line = next((n for n, t in section.lines if t.strip()), section.line)
        data["citation"] = text
        try:
            parts = parse_citation(text)
        except RecordError as exc:
            raise exc.located(self.path, line)
        except DateError as exc:
            raise self.error(f"citation: {exc}; correct the date", line) from None
        if parts.title and "title" not in data:
            data["title"] = parts.title
        if parts.date is not None:
            data.setdefault("date", parts.date)
        if parts.url or parts.repository:
            data["repository"] = {"name": parts.repository or _repository_from_url(parts.url), "url": parts.url}
            number = _WILSON_URL.match(parts.url or "")
            if number:
                data["repository"]["identifier"] = number.group(1)
        if parts.original_publication:
            data["original_publication"] = parts.original_publication
        if parts.archival_source:
            data["archival_source"] = parts.archival_source
        for note in parts.notes:
            self.note(f"citation: {note}", line)
        self.source_language = parts.source_language
        if parts.translators or parts.obtained_by or parts.translated_for:
            data["translation"] = {
                "translators": parts.translators,
                "obtained_by": parts.obtained_by,
                "translated_for": parts.translated_for,
            }


@dataclass
class CitationParts:
    """The parts of an archive's citation line."""

    title: str | None = None
    date: Any = None
    repository: str | None = None
    url: str | None = None
    original_publication: dict[str, Any] | None = None
    archival_source: dict[str, Any] | None = None
    translators: list[dict[str, Any]] = field(default_factory=list)
    obtained_by: list[dict[str, Any]] = field(default_factory=list)
    translated_for: str | None = None
    # "Translated from the Chinese": the language the translation was made from.
    source_language: str | None = None
    # What the credits hold that no field can: roles without a field, text that is not read.
    notes: list[str] = field(default_factory=list)


def parse_citation(text: str) -> CitationParts:
    """Split a citation line into title, date, repository, source and credits.

    Raises RecordError (without a location) for a source that cannot be read, and
    DateError for a date that is not in the calendar.
    """
    parts = CitationParts()
    found_url = _find_url(text)
    if found_url:
        parts.url, start, end = found_url
        text = (text[:start] + text[end:]).strip()
    title, rest = _split_title(text)
    parts.title = title
    rest = rest.strip().lstrip(",.").strip()
    found = find_date(rest)
    if found is not None and found[1] == 0:
        parts.date, rest = found[0], rest[found[2] :].lstrip(" ,.")
    credit = _CREDITS_START.search(rest)
    source, credits = (rest[: credit.start()], rest[credit.start() :]) if credit else (rest, "")
    source = source.strip().rstrip(".,; ")
    first, _, after = source.partition(",")
    if _REPOSITORY.search(first):
        parts.repository, source = first.strip(), after.strip()
    if "*" in source or "_" in source:
        parts.original_publication = _read_publication(source)
    elif source:
        parts.archival_source = _read_archive(source)
    _read_credits(credits, parts)
    return parts


def _find_url(text: str) -> tuple[str, int, int] | None:
    """The document's URL as (url, start, end), with https:// added when the text left it out."""
    match = _URL.search(text, _url_search_start(text))
    if match is None:
        return None
    url = (match.group("bracketed") or match.group("bare") or match.group("schemeless")).rstrip(".,;)")
    if not _SCHEME.match(url):
        url = "https://" + url
    if _SCHEME.fullmatch(url):
        return None
    return url, match.start(), match.end()


def _url_search_start(text: str) -> int:
    """Where ``_URL`` can first match.  Every URL form holds a '/', and before its first '/'
    come only a scheme or host name (letters, digits, '.', ':', '-'), after '<' and spaces in
    angle brackets; so no URL starts before the run of those that ends at the text's first '/'.
    Searching from there skips the title, where the pattern is slow to fail."""
    slash = text.find("/")
    if slash < 0:
        return len(text)
    start = slash
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".:-_"):
        start -= 1
    spaces = start
    while spaces > 0 and text[spaces - 1].isspace():
        spaces -= 1
    return spaces - 1 if spaces > 0 and text[spaces - 1] == "<" else start


_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_COMMA_IN_QUOTES = re.compile(r"[,.](['’])$")
_QUOTED_TITLE = re.compile(r'^\s*["“](?P<title>.+?)[,.]?["”](?=\s*[,.]?\s|\s*$)')


def _group_1(match: re.Match[str]) -> str:
    """The replacement r"\\1" as a function: in Python 3.11 a template with a backslash is
    handed to Python code at every call, even when nothing matches."""
    return match.group(1)


def _split_title(text: str) -> tuple[str | None, str]:
    quoted = _QUOTED_TITLE.match(text)
    if quoted:
        # Chicago puts the comma inside nested quotes too: "Cable, 'Title,'" -> "Cable, 'Title'".
        title = _COMMA_IN_QUOTES.sub(_group_1, quoted.group("title").strip())
        return title, text[quoted.end() :]
    start = _date_field(text)
    if start is not None:
        return text[:start].strip().rstrip(",").strip() or None, text[start:]
    title, _, rest = text.partition(",")
    return title.strip() or None, rest


def _date_field(text: str) -> int | None:
    """Where the first comma-separated field that is a date starts: the end of an
    unquoted title.  A year inside the title ('Report on the 1954 Harvest') is no field."""
    for comma in re.finditer(r",\s*", text):
        found = find_date(text[comma.end() :])
        if found is not None and found[1] == 0 and re.match(r"\s*(?:[,.]|$)", text[comma.end() + found[2] :]):
            return comma.end()
    return None


_PUBLICATION = re.compile(
    r"^(?P<authors>[^*_]*?)[,\s]*[*_](?P<title>[^*_]+)[*_]\s*(?:\[(?P<translated>[^\]]+)\])?"
    r"\s*(?:\((?P<imprint>[^()]*)\))?\s*[,.]?\s*(?P<rest>.*)$"
)
_IMPRINT_YEAR = re.compile(r"([0-9]{4})\s*$")
_IMPRINT_PLACE = re.compile(r"\s*[:,]\s*")
_PAGES = re.compile(r"(?:pp?\.\s*)?([0-9]+(?:\s*[-–]\s*[0-9]+)?)\s*$")
_PAGE_DASH = re.compile(r"\s*[-–]\s*")


def _read_publication(source: str) -> dict[str, Any]:
    match = _PUBLICATION.match(source)
    if not match:
        raise RecordError(
            f"citation: cannot find the publication's *italic title* in {source!r}; mark it with one '*' on each side"
        )
    publication: dict[str, Any] = {"title": match.group("title").strip()}
    if match.group("authors"):
        publication["authors"] = [_person(n) for n in _split_names(match.group("authors"))]
    if match.group("translated"):
        publication["title_translated"] = match.group("translated").strip()
    imprint = (match.group("imprint") or "").strip()
    if imprint:
        # "(Moscow, Vostochnaya Literatura, 2000)" or "(Seoul: Yeoksa bipyeongsa, 1995)".
        year = _IMPRINT_YEAR.search(imprint)
        if year:
            publication["date"] = year.group(1)
            imprint = imprint[: year.start()].rstrip(" ,;")
        place, _, publisher = _IMPRINT_PLACE.sub("\0", imprint, count=1).partition("\0")
        publication["place"] = place.strip() or None
        publication["publisher"] = publisher.strip() or None
    pages = _PAGES.search(match.group("rest") or "")
    if pages:
        publication["pages"] = _PAGE_DASH.sub("-", pages.group(1))
    return publication


def _read_archive(source: str) -> dict[str, Any]:
    """'AVPRF, fond 0102, opis 18, ...' or 'PRC FMA 106-00581-01': the archive's name, then
    the location from the first field with a number or a word such as 'fond' or 'box'."""
    segments = [s.strip() for s in source.split(",") if s.strip()]
    name: list[str] = []
    for index, segment in enumerate(segments):
        if _LOCATION_WORD.match(segment) or any(map(str.isdigit, segment)):
            words = segment.split()
            cut = next((i for i, w in enumerate(words) if any(map(str.isdigit, w)) or _LOCATION_WORD.match(w)), 0)
            if cut and not name:
                name.append(" ".join(words[:cut]))
                rest = [" ".join(words[cut:])] + segments[index + 1 :]
            else:
                rest = segments[index:]
            return {"archive": ", ".join(name) if name else rest.pop(0), "location": ", ".join(rest) or None}
        name.append(segment)
    return {"archive": ", ".join(name)}


# One credit clause: its verbs, then in any order the language translated from ("from the
# Chinese"), the project ("for NKIDP", before or after the names) and the people ("by ...").
_CREDIT_CLAUSE = re.compile(
    rf"^(?P<verbs>{_CREDIT_VERBS})"
    rf"(?:\s+from\s+(?:the\s+)?(?P<language>{_LETTER}+(?:[ -]{_LETTER}+)?))?"
    r"(?:\s+for\s+(?P<for>.+?))?"
    r"(?:\s+by\s+(?P<who>.+?)(?:\s+for\s+(?P<for_after>[^\[\]()]+))?)?$",
    re.IGNORECASE,
)
_VERB_ONLY = re.compile(rf"^{_CREDIT_VERBS}$", re.IGNORECASE)
_ONE_VERB = re.compile(_CREDIT_VERB, re.IGNORECASE)
# Where one clause ends and the next begins: a ';', or ',' / 'and' before a credit verb
# ("Obtained by X and translated by Y", "Translated by X, edited by Y").  'and' between
# names ("Zhang Qian and Chen Jian") is followed by no verb and does not split.
# The leading \s* is shared, not tried once for each branch at every position: a third fewer
# instructions to split a credit, the same splits (the branches go on differently after it).
_CLAUSE_BREAK = re.compile(rf"\s*(?:;\s*|,?\s+(?:and|&)\s+(?={_CREDIT_VERB}\b)|,\s*(?={_CREDIT_VERB}\b))", re.IGNORECASE)
# A credited name with another spelling of it: "Jeon Kyung-Min [Jeon Gyeong-min]".
_CREDITED_VARIANT = re.compile(r"^(?P<name>[^\[\]()]+?)\s*(?:\[(?P<v1>[^\[\]]+)\]|\((?P<v2>[^()]+)\))$")
# The verbs the model has a field for; the others' people stay in the citation text only.
_ROLE_FIELDS = {"obtained": "obtained_by", "translated": "translators", "translation": "translators"}
_ROLE_NOUNS = {
    "contributed": "a contributor", "donated": "a donor", "edited": "an editor", "transcribed": "a transcriber",
    "provided": "whoever provided the document", "compiled": "a compiler", "annotated": "an annotator",
    "introduced": "the author of an introduction", "selected": "whoever selected the document",
    "prepared": "whoever prepared the document",
}  # fmt: skip


def _read_credits(credits: str, parts: CitationParts) -> None:
    """The credit sentences into translators, obtained_by and translated_for.

    A clause the model has no field for (an editor, a contributor) or cannot be read is not
    forced into another field: it stays in the citation line the document keeps, and
    ``parts.notes`` says so, so that a silent half-reading cannot corrupt the citation.
    """
    for sentence in _sentences(credits):
        pending: list[str] = []  # "Obtained" of "Obtained and translated by X": verbs waiting for their "by"
        for clause in _CLAUSE_BREAK.split(sentence.strip().rstrip(".").strip()):
            clause = clause.strip(" ,")
            if not clause:
                continue
            if _VERB_ONLY.match(clause):
                pending += _ONE_VERB.findall(clause)
                continue
            _read_clause(clause, pending, parts)
            pending = []
        if pending:
            parts.notes.append(f"the credit {sentence.strip()!r} names no one after {pending[-1]!r}; ignored")


def _read_clause(clause: str, pending: list[str], parts: CitationParts) -> None:
    match = _CREDIT_CLAUSE.match(clause)
    if match is None:
        parts.notes.append(f"cannot read the credit {clause!r}; it is kept in the citation text only")
        return
    verbs = [v.lower() for v in pending + _ONE_VERB.findall(match.group("verbs"))]
    translates = any(_ROLE_FIELDS.get(v) == "translators" for v in verbs)
    project = (match.group("for") or match.group("for_after") or "").strip() or None
    if match.group("language"):
        if translates:
            parts.source_language = match.group("language")
        else:
            parts.notes.append(f"the credit {clause!r} names a language but no translation; the language is ignored")
    if project:
        if not translates:
            parts.notes.append(f"the credit {clause!r} names a project but no translation; the project is ignored")
        elif parts.translated_for not in (None, project):
            parts.notes.append(f"the credit {clause!r} names a second project; kept {parts.translated_for!r}")
        else:
            parts.translated_for = project
    found = [_credited_person(name, parts.notes) for name in _split_names(match.group("who") or "")]
    people = [person for person in found if person is not None]
    if not people:
        # A name that was no name has had its note; "Translated from the Chinese." alone is fine.
        if not match.group("who") and not match.group("language") and not project:
            parts.notes.append(f"the credit {clause!r} names no one; ignored")
        return
    for verb in dict.fromkeys(verbs):  # once each: "translated and translated by" is one role
        field_name = _ROLE_FIELDS.get(verb)
        if field_name is None:
            names = ", ".join(p["name"] for p in people)
            parts.notes.append(
                f"{names} is credited as {_ROLE_NOUNS[verb]} ({clause!r}); archcite has no field for that role, "
                "so the credit is kept in the citation text only"
            )
        elif field_name == "obtained_by":
            parts.obtained_by += people
        else:
            parts.translators += people


def _credited_person(text: str, notes: list[str]) -> dict[str, Any] | None:
    """A credited name, its bracketed other spelling as a variant; None, with a note, for
    text that is no personal name (so that it does not become a translator)."""
    name, variant = text.strip(), None
    match = _CREDITED_VARIANT.match(name)
    if match:
        name, variant = match.group("name").strip(), (match.group("v1") or match.group("v2")).strip()
    if not _credited_name(name):
        notes.append(f"{text.strip()!r} in the credits does not look like a personal name; ignored")
        return None
    person = _person(name)
    if variant:
        if _credited_name(variant):
            person["variants"] = [variant]
        else:
            notes.append(f"{variant!r} after {name!r} in the credits is no other spelling of the name; ignored")
    return person


def _credited_name(name: str) -> bool:
    """No digits, and a first word that opens with a capital, with a letter of a script that has
    no case ('李', '김'), or is a particle ('van Dijk'): 'the staff of NKIDP' is no person."""
    words = name.split()
    if not words or any(map(str.isdigit, name)):
        return False
    if words[0] in _PARTICLES:
        return True
    initial = words[0][0]
    return initial.isupper() or (initial.isalpha() and initial.lower() == initial.upper())


# The '.' first and the look-behinds after it: far faster than look-behinds at every position.
_SENTENCE_END = re.compile(r"\.(?<!\b[A-Z]\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bSt\.)\s+")
_NAME_LIST = re.compile(r"\s*(?:,\s*(?:and\s+)?|&\s*)|\s+and\s+")  # \s* shared, as in _CLAUSE_BREAK
_JOINED_INITIAL = re.compile(r"\b([A-Z])\.(?=[A-Z])")


def _initial(match: re.Match[str]) -> str:
    return match.group(1) + ". "  # r"\1. ", as a function for the reason given at _group_1


def _sentences(text: str) -> list[str]:
    """Split at full stops, but not after an initial ('V. P.') or 'Dr.'."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _split_names(text: str) -> list[str]:
    text = text.strip().rstrip(".")
    names = _NAME_LIST.split(text)
    return [n.strip() for n in names if n.strip()]


def _person(name: str) -> dict[str, Any]:
    """A credited person, with initials spaced as Chicago prints them ('V.P.' -> 'V. P.')."""
    name = _JOINED_INITIAL.sub(_initial, name.strip())
    return {"name": name}


def _repository_from_url(url: str | None) -> str:
    if url and _WILSON_URL.match(url):
        return "Wilson Center Digital Archive"
    return re.sub(r"^https?://(www\.)?([^/]+).*$", r"\2", url or "") or "Unknown repository"


_FUNDER_LIST = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+(?=the\s|[A-Z])")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def _read_funding(text: str) -> dict[str, Any] | None:
    if not text:
        return None
    match = _FUNDING.search(text)
    funders: list[str] = []
    if match:
        who = (match.group("who") or match.group("who2")).rstrip(". ")
        funders = [_LEADING_THE.sub("", n) for n in _FUNDER_LIST.split(who)]
    return {"funders": [f for f in funders if f], "credit": text}


def _record_id(data: dict[str, Any]) -> str:
    identifier = (data.get("repository") or {}).get("identifier")
    if identifier:
        return f"wcda-{identifier}"
    return slug(data["title"])


def slug(text: str) -> str:
    """A safe record id from a title: ASCII, lower case, hyphens, at most 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    result = "-".join(words)[:60].strip("-")
    return result or "record"


def _take_value(section: _Section) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Split the last section into its own value and the body that follows it."""
    lines = section.lines
    start = next((i for i, (_, t) in enumerate(lines) if t.strip()), len(lines))
    if section.name == "contents":
        end = start
        while end < len(lines) and (not lines[end][1].strip() or _CONTENTS_ITEM.match(lines[end][1].strip())):
            end += 1
        return lines[start:end], lines[end:]
    end = start
    while end < len(lines) and lines[end][1].strip():
        end += 1
    if section.name == "citation" and end < len(lines):
        # The URL often stands on a line of its own after the citation.
        nxt = next((i for i in range(end, len(lines)) if lines[i][1].strip()), None)
        if nxt is not None and _URL.fullmatch(lines[nxt][1].strip()):
            end = nxt + 1
    return lines[start:end], lines[end:]


def _looks_like_broken_marker(text: str) -> bool:
    return ("[" in text or "]" in text) and _BROKEN_MARKER.match(text) is not None


def _paragraphs(lines: list[tuple[int, str]]) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    current: list[str] = []
    first = 0
    for number, line in lines:
        stripped = line.strip()
        if stripped:
            if not current:
                first = number
            current.append(stripped)
        elif current:
            paragraphs.append(_Paragraph(" ".join(current), first))
            current = []
    if current:
        paragraphs.append(_Paragraph(" ".join(current), first))
    return paragraphs


def _join(lines: list[tuple[int, str]]) -> str:
    return "\n\n".join(p.text for p in _paragraphs(lines))


def brief(exc: Exception) -> str:
    """A one-line message from a Pydantic or plain error."""
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
        return "; ".join(parts)
    return str(exc)


# --- the body: excerpts, speakers, titles ------------------------------------


@dataclass
class _Excerpt:
    id: str
    pages: str | None
    line: int
    paragraphs: list[_Paragraph] = field(default_factory=list)


class _ExcerptReader:
    """Split the body into excerpts and find each one's date, speakers and title."""

    def __init__(self, reader: _RecordReader) -> None:
        self.reader = reader
        self.people: list[dict[str, Any]] = []
        self.keys: dict[str, int] = {}

    def read(self, body: list[_Paragraph]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        excerpts = self._split(body)
        result: list[dict[str, Any]] = []
        previous_date: Any = None
        for excerpt in excerpts:
            item = self._read_excerpt(excerpt, previous_date)
            previous_date = item.get("date")
            result.append(item)
        return self.people, result

    def _split(self, body: list[_Paragraph]) -> list[_Excerpt]:
        markers = [_PAGE_MARKER.match(p.text) for p in body]
        for paragraph, marker in zip(body, markers):
            if not marker and _looks_like_broken_marker(paragraph.text):
                digits = re.sub(r"[\[\]\s]", "", paragraph.text)
                raise self.reader.error(
                    f"{paragraph.text!r} looks like a page marker but its brackets are wrong; write it as [{digits}]",
                    paragraph.line,
                )
        if not any(markers):
            return self._split_at_elisions(body)
        excerpts: list[_Excerpt] = []
        current: _Excerpt | None = None
        seen: dict[str, int] = {}
        for paragraph, marker in zip(body, markers):
            if marker:
                first, last = marker.group(1), marker.group(2)
                if last and int(last) < int(first):
                    raise self.reader.error(
                        f"page marker {paragraph.text} runs backwards; write the first page first", paragraph.line
                    )
                pages = f"{first}-{last}" if last else first
                if pages in seen:
                    raise self.reader.error(
                        f"page marker {paragraph.text} appears twice (first at line {seen[pages]}); "
                        "correct the page numbers or merge the two excerpts",
                        paragraph.line,
                    )
                seen[pages] = paragraph.line
                current = _Excerpt(f"p{pages}", pages, paragraph.line)
                excerpts.append(current)
            elif current is None:
                # Text before the first page marker; an elision there only says something was left out.
                if not _ELISION.match(paragraph.text):
                    current = _Excerpt("e1", None, paragraph.line)
                    excerpts.append(current)
                    current.paragraphs.append(paragraph)
            else:
                current.paragraphs.append(paragraph)
        for excerpt in excerpts:
            # "[...]" then "[21-22]" is how the layout opens an excerpt (the seed puts it before
            # every page marker, the first one too): the elision says that something between the
            # excerpts was left out, which the page markers already say.  It is a separator, as
            # the one before the first marker and those of a body without markers are, not text
            # of the excerpt it follows; nor is one that ends the body.  An elision inside an
            # excerpt stays: text was left out there.  One that is all an excerpt holds stays too.
            while len(excerpt.paragraphs) > 1 and _ELISION.match(excerpt.paragraphs[-1].text):
                excerpt.paragraphs.pop()
            self._note_missing_marker(excerpt)
        return excerpts

    def _note_missing_marker(self, excerpt: _Excerpt) -> None:
        """An elision inside an excerpt followed by a dated headnote is how the next excerpt
        opens ("[...]", "[21-22]", "[March 1961] ..."): its page marker was most likely lost.
        The text is kept as read (the elision may be real), but the excerpt's pages and date
        now claim what follows, so the reader is told where to look."""
        for before, paragraph in zip(excerpt.paragraphs, excerpt.paragraphs[1:]):
            if not _ELISION.match(before.text):
                continue
            try:
                headnote, _ = _split_headnote(paragraph)
                dated = headnote is not None and find_date(headnote) is not None
            except (RecordError, DateError):
                dated = False  # not a headnote this check can read; the import goes on as before
            if dated:
                self.reader.note(
                    f"excerpt {excerpt.id} goes on after [...] at line {before.line} with the dated headnote "
                    f"[{_shorten(headnote or '')}], as a new excerpt opens: if its page marker is missing, "
                    f"add it (e.g. [21-22]) on its own line before the headnote",
                    paragraph.line,
                )

    @staticmethod
    def _split_at_elisions(body: list[_Paragraph]) -> list[_Excerpt]:
        """Without page markers, each part between [...] elisions is an excerpt: e1, e2, ..."""
        chunks: list[_Excerpt] = []
        current: _Excerpt | None = None
        for paragraph in body:
            if _ELISION.match(paragraph.text):
                current = None
                continue
            if current is None:
                current = _Excerpt(f"e{len(chunks) + 1}", None, paragraph.line)
                chunks.append(current)
            current.paragraphs.append(paragraph)
        return chunks

    def _read_excerpt(self, excerpt: _Excerpt, previous_date: Any) -> dict[str, Any]:
        paragraphs = [p.text for p in excerpt.paragraphs]
        headnote: str | None = None
        speakers: list[str] = []
        description: str | None = None
        date: Any = None
        if paragraphs:
            headnote, rest = _split_headnote(excerpt.paragraphs[0])
            if headnote is not None:
                paragraphs[0] = rest
                try:
                    date, description, named = self._read_headnote(headnote)
                except DateError as exc:
                    raise self.reader.error(
                        f"headnote [{_shorten(headnote)}]: {exc}; correct the date", excerpt.paragraphs[0].line
                    ) from None
                speakers += named
                if not paragraphs[0]:
                    paragraphs.pop(0)
        for text in paragraphs:
            name = self._turn_speaker(text)
            if name and name not in speakers:
                speakers.append(name)
        item: dict[str, Any] = {"id": excerpt.id, "pages": excerpt.pages, "headnote": headnote}
        if date is not None:
            item["date"] = date
        elif headnote is None and previous_date is not None:
            # No headnote: the excerpt continues the one before, as [26] continues [25].
            item["date"], item["date_inherited"] = previous_date, True
        item["speakers"] = speakers
        item["title"] = _descriptive_title(description, speakers, excerpt)
        item["text"] = "\n\n".join(paragraphs)
        return item

    def _read_headnote(self, headnote: str) -> tuple[Any, str | None, list[str]]:
        """The headnote's date, its first sentence that is not a name, and the names standing alone."""
        date = None
        found = find_date(headnote)
        rest = headnote
        if found is not None:
            date = found[0]
            before, after = headnote[: found[1]], headnote[found[2] :]
            before = _DATE_PREPOSITION.sub("", before)
            rest = (before.rstrip() + " " + after.lstrip()).strip()
        named: list[str] = []
        description: list[str] = []
        for sentence in _sentences(rest):
            sentence = sentence.strip().strip(".:;, ")
            if not sentence:
                continue
            name = _NAME_ONLY.match(sentence)
            if name and _is_name(name.group("name")):
                named.append(self._add_person(name.group("name"), name.group("v1") or name.group("v2")))
            else:
                description.append(sentence)
        return date, (description[0] if description else None), named

    def _turn_speaker(self, text: str) -> str | None:
        match = _LABEL.match(text) or _TURN.match(text)
        if not match or not _is_name(match.group("name")):
            return None
        return self._add_person(match.group("name"), match.group("v1") or match.group("v2"))

    def _add_person(self, name: str, variant: str | None) -> str:
        """Merge a speaker into the document's people; return the canonical name."""
        variant = variant.strip() if variant else None  # "[ 김일성 ]" is the spelling "김일성"
        name_key = _name_key(name)
        if variant is None and name_key in self.keys:
            # A speaker met before, by a spelling with no variant: 2 of 3 calls in the benchmark.
            known = self.people[self.keys[name_key]]
            if name_key != _name_key(known["name"]) and name not in known["variants"]:
                known["variants"].append(name)
            return str(known["name"])
        spellings = [(name, name_key)] + ([(variant, _name_key(variant))] if variant else [])
        index = next((self.keys[key] for _, key in spellings if key in self.keys), None)
        if index is None:
            index = len(self.people)
            self.people.append({"name": name, "variants": []})
        person = self.people[index]
        person_key = _name_key(person["name"])
        for spelling, key in spellings:
            if key != person_key and spelling not in person["variants"]:
                person["variants"].append(spelling)
            self.keys[key] = index
        return str(person["name"])


@lru_cache(maxsize=1024)  # the same speakers' names come again and again
def _is_name(name: str) -> bool:
    """Every word capitalized (or an inner particle such as 'de'), and none a common word."""
    for index, word in enumerate(name.split()):
        if word in _PARTICLES and index > 0:
            continue
        if not word[0].isupper():
            return False
        # Initials ("I.", "V.P.") are no words: "I." is not the pronoun.
        if word.lower().strip(".") in _NOT_NAMES and not _INITIALS.fullmatch(word):
            return False
    return True


def _split_headnote(paragraph: _Paragraph) -> tuple[str | None, str]:
    """'[17 June 1960 ...]: text' -> ('17 June 1960 ...', 'text').

    A bare speaker label ('[Pak Seong-cheol] text'), an elision and a translator's
    note open a paragraph too, but are no headnote.
    """
    text = paragraph.text
    if not text.startswith("["):
        return None, text
    index = _closing_bracket(text)
    if index is None:
        raise RecordError(
            f"the '[' that opens the paragraph {_shorten(text)!r} is never closed; add the ']'", line=paragraph.line
        )
    inner = text[1:index].strip()
    label = _NAME_ONLY.match(inner)
    if label and _is_name(label.group("name")) and not find_date(inner):
        return None, text
    if _ELISION.match(text[: index + 1]) or _NOTE.match(inner):
        return None, text
    return inner, text[index + 1 :].lstrip(":").strip()


def _closing_bracket(text: str) -> int | None:
    """Where the '[' that opens ``text`` is closed, brackets inside it nesting; None if never."""
    close = text.find("]")
    if close >= 0 and text.find("[", 1, close) < 0:
        return close  # the common case, found without a pattern: no '[' before the first ']'
    depth = 0
    for bracket in _BRACKET.finditer(text):
        depth += 1 if bracket.group() == "[" else -1
        if depth == 0:
            return bracket.start()
    return None


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


_NAME_PUNCTUATION = re.compile(r"[\s.\-]+")


@lru_cache(maxsize=1024)
def _name_key(name: str) -> str:
    """How two spellings of one name compare: without spaces, dots, hyphens or case."""
    return _NAME_PUNCTUATION.sub("", name).casefold()


_LEADING_FROM = re.compile(r"^(?:from|in)\s+(?:the\s+)?", re.IGNORECASE)


def _descriptive_title(description: str | None, speakers: list[str], excerpt: _Excerpt) -> str:
    """What the excerpt is: a conversation between its speakers, else what its headnote says it is."""
    if len(speakers) >= 2:
        names = speakers[0] + " and " + speakers[1] if len(speakers) == 2 else ", ".join(speakers[:-1]) + ", and " + speakers[-1]
        return f"Conversation between {names}"
    if description:
        text = _LEADING_FROM.sub("", description).strip()
        return text[:1].upper() + text[1:]
    if speakers:
        return f"Remarks by {speakers[0]}"
    if excerpt.pages:
        return f"Excerpt, {'pages' if '-' in excerpt.pages else 'page'} {excerpt.pages}"
    return f"Excerpt {excerpt.id[1:]}"


def load_documents(text: str, path: str | None = None) -> list[Document]:
    """The registry's entry point: a record text holds one document."""
    return [load(text, path)]

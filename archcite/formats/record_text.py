"""The plain-text archive record (Wilson Center Digital Archive layout) -> Document.

The layout is: a date line, a title line, then sections headed ``Citation:``,
``Summary:``, ``Credits:``, ``Original Language:`` and ``Contents:``, then the
body.  The body holds excerpts that start at page markers such as ``[19-20]``.
Each step below is a small function so that a new record variant means a new
case in one place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..dates import find_date, parse_date
from ..errors import RecordError
from ..models import Document

SECTIONS = ("citation", "summary", "credits", "original language", "contents")
_HEADER = re.compile(r"^\s*(citation|summary|credits|original language|contents)\s*:\s*$", re.IGNORECASE)
_CONTENTS_ITEM = re.compile(r"^(original scan|original|translation|transcript|scan)\b.*$", re.IGNORECASE)
_PAGE_MARKER = re.compile(r"^\[\s*(\d{1,5})(?:\s*[-–]\s*(\d{1,5}))?\s*\]$")
_ELISION = re.compile(r"^\[\s*(?:\.\s*){3}\]$|^\[…\]$")
_URL_BRACKETED = re.compile(r"<\s*(https?://[^\s>]+)\s*>")
_URL_BARE = re.compile(r"https?://[^\s<>\"]+")
_WILSON_URL = re.compile(r"^https?://digitalarchive\.[a-z.]+/document/(\d+)")

# A personal name: initials ("N. S.", "V.P.") and capitalized words, two to five of them.
_NAME_WORD = r"(?:[A-Z]\.(?:\s?[A-Z]\.)*|[A-Z][\w'’]*(?:-[\w'’]+)*)"
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
_CREDIT_START = re.compile(
    r"(?:(?<=^)|(?<=[\s.,;]))(?=(?:obtained and translated by|obtained by|translated for|translated by"
    r"|translated from|translation by|contributed by|donated by)\b)",
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


@dataclass
class _Paragraph:
    text: str
    line: int


@dataclass
class _Section:
    name: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def load(text: str, path: str | None = None) -> Document:
    """Read one archive record text into a Document."""
    return _RecordReader(text, path).read()


class _RecordReader:
    def __init__(self, text: str, path: str | None) -> None:
        self.text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        self.path = path

    def error(self, message: str, line: int | None = None) -> RecordError:
        return RecordError(message, self.path, line)

    # --- layout ---------------------------------------------------------------

    def read(self) -> Document:
        control = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", self.text)
        if control:
            line = self.text.count("\n", 0, control.start()) + 1
            raise self.error(f"control character {control.group()!r} in the text; is this a binary file?", line)
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
        version_language = _contents_language(sections.get("contents"))
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
        lines = self.text.split("\n")
        head: list[tuple[int, str]] = []
        sections: dict[str, _Section] = {}
        current: _Section | None = None
        for number, line in enumerate(lines, start=1):
            header = _HEADER.match(line)
            if header:
                name = header.group(1).lower()
                if name in sections:
                    raise self.error(
                        f"the '{header.group(1)}:' section appears twice (first at line {sections[name].line})", number
                    )
                current = sections[name] = _Section(name, number)
            elif current is None:
                head.append((number, line))
            else:
                current.lines.append((number, line))
        if current is None:
            # No sections at all: a title-and-body file.  The body starts at the
            # first page marker or elision.
            start = next(
                (i for i, (_, t) in enumerate(head) if _PAGE_MARKER.match(t.strip()) or _ELISION.match(t.strip())),
                len(head),
            )
            return head[:start], sections, _paragraphs(head[start:])
        # The last section holds its own value, then the body.
        value, body = _take_value(current)
        current.lines = value
        return head, sections, _paragraphs(body)

    def _read_head(self, head: list[tuple[int, str]], data: dict[str, Any]) -> None:
        filled = [(n, t.strip()) for n, t in head if t.strip()]
        if not filled:
            return
        number, first = filled[0]
        try:
            data["date"] = parse_date(first)
            filled = filled[1:]
        except ValueError as exc:
            if any(ch.isdigit() for ch in first) and len(first) < 40:
                raise self.error(f"the date line {first!r} is not a date: {brief(exc)}", number) from None
        if filled:
            data["title"] = " ".join(t for _, t in filled)

    def _read_language(self, section: _Section, data: dict[str, Any]) -> None:
        text = _join(section.lines)
        if not text:
            return
        first = re.split(r"\s*(?:,|;|\band\b)\s*", text)[0]
        try:
            from ..models import language_from_text

            data["original_language"] = language_from_text(first)
        except ValueError as exc:
            raise self.error(str(exc), section.line + 1) from None

    # --- the citation line ----------------------------------------------------

    def _read_citation(self, section: _Section, data: dict[str, Any]) -> None:
        text = " ".join(t.strip() for _, t in section.lines if t.strip())
        if not text:
            return
        line = next((n for n, t in section.lines if t.strip()), section.line)
        data["citation"] = text
        try:
            parts = parse_citation(text)
        except ValueError as exc:
            raise self.error(f"cannot read the citation: {exc}", line) from None
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


def parse_citation(text: str) -> CitationParts:
    """Split a citation line into title, date, repository, source and credits."""
    parts = CitationParts()
    url = _URL_BRACKETED.search(text) or _URL_BARE.search(text)
    if url:
        parts.url = url.group(1 if url.re is _URL_BRACKETED else 0).rstrip(".,;)")
        text = (text[: url.start()] + text[url.end() :]).strip()
    title, rest = _split_title(text)
    parts.title = title
    rest = rest.strip().lstrip(",.").strip()
    found = find_date(rest)
    if found is not None and found[1] == 0:
        parts.date, rest = found[0], rest[found[2] :].lstrip(" ,.")
    credit = _CREDIT_START.search(rest)
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


def _split_title(text: str) -> tuple[str | None, str]:
    quoted = re.match(r'^\s*["“](?P<title>.+?)[,.]?["”](?=\s*[,.]?\s|\s*$)', text)
    if quoted:
        return quoted.group("title").strip(), text[quoted.end() :]
    found = find_date(text)
    if found is not None and found[1] > 0:
        return text[: found[1]].strip().rstrip(","), text[found[1] :]
    title, _, rest = text.partition(",")
    return title.strip() or None, rest


def _read_publication(source: str) -> dict[str, Any]:
    match = re.match(
        r"^(?P<authors>[^*_]*?)[,\s]*[*_](?P<title>[^*_]+)[*_]\s*(?:\[(?P<translated>[^\]]+)\])?"
        r"\s*(?:\((?P<imprint>[^()]*)\))?\s*[,.]?\s*(?P<rest>.*)$",
        source,
    )
    if not match:
        raise ValueError(f"cannot find an italic *title* in {source!r}")
    publication: dict[str, Any] = {"title": match.group("title").strip()}
    if match.group("authors"):
        publication["authors"] = [_person(n) for n in _split_names(match.group("authors"))]
    if match.group("translated"):
        publication["title_translated"] = match.group("translated").strip()
    imprint = (match.group("imprint") or "").strip()
    if imprint:
        year = re.search(r"(\d{4})\s*$", imprint)
        if year:
            publication["date"] = year.group(1)
            imprint = imprint[: year.start()].rstrip(" ,;")
        place, _, publisher = re.sub(r"\s*[:,]\s*", "\0", imprint, count=1).partition("\0")
        publication["place"] = place.strip() or None
        publication["publisher"] = publisher.strip() or None
    pages = re.search(r"(?:pp?\.\s*)?(\d+(?:\s*[-–]\s*\d+)?)\s*$", match.group("rest") or "")
    if pages:
        publication["pages"] = re.sub(r"\s*[-–]\s*", "-", pages.group(1))
    return publication


def _read_archive(source: str) -> dict[str, Any]:
    segments = [s.strip() for s in source.split(",") if s.strip()]
    name: list[str] = []
    for index, segment in enumerate(segments):
        if _LOCATION_WORD.match(segment) or any(ch.isdigit() for ch in segment):
            words = segment.split()
            cut = next((i for i, w in enumerate(words) if any(ch.isdigit() for ch in w) or _LOCATION_WORD.match(w)), 0)
            if cut and not name:
                name.append(" ".join(words[:cut]))
                rest = [" ".join(words[cut:])] + segments[index + 1 :]
            else:
                rest = segments[index:]
            return {"archive": ", ".join(name) if name else rest.pop(0), "location": ", ".join(rest) or None}
        name.append(segment)
    return {"archive": ", ".join(name)}


def _read_credits(credits: str, parts: CitationParts) -> None:
    for sentence in _sentences(credits):
        s = sentence.strip().rstrip(".")
        if m := re.match(r"^obtained and translated by (?P<who>.+)$", s, re.IGNORECASE):
            people = [_person(n) for n in _split_names(m.group("who"))]
            parts.obtained_by += people
            parts.translators += people
        elif m := re.match(r"^obtained by (?P<got>.+?)\s*,?\s*and translated (?:for (?P<for>.+?) )?by (?P<who>.+)$", s, re.IGNORECASE):
            parts.obtained_by += [_person(n) for n in _split_names(m.group("got"))]
            parts.translators += [_person(n) for n in _split_names(m.group("who"))]
            parts.translated_for = m.group("for") or parts.translated_for
        elif m := re.match(r"^obtained by (?P<who>.+)$", s, re.IGNORECASE):
            parts.obtained_by += [_person(n) for n in _split_names(m.group("who"))]
        elif m := re.match(r"^translated for (?P<for>.+?) by (?P<who>.+)$", s, re.IGNORECASE):
            parts.translated_for = m.group("for").strip()
            parts.translators += [_person(n) for n in _split_names(m.group("who"))]
        elif m := re.match(r"^(?:translated|translation) by (?P<who>.+?)(?: for (?P<for>.+))?$", s, re.IGNORECASE):
            parts.translators += [_person(n) for n in _split_names(m.group("who"))]
            parts.translated_for = (m.group("for") or "").strip() or parts.translated_for


def _sentences(text: str) -> list[str]:
    """Split at full stops, but not after an initial ('V. P.') or 'Dr.'."""
    return [s for s in re.split(r"(?<!\b[A-Z])(?<!\bDr)(?<!\bMr)(?<!\bSt)\.\s+", text) if s.strip()]


def _split_names(text: str) -> list[str]:
    text = text.strip().rstrip(".")
    names = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)
    return [n.strip() for n in names if n.strip()]


def _person(name: str) -> dict[str, Any]:
    """A credited person, with initials spaced as Chicago prints them ('V.P.' -> 'V. P.')."""
    name = re.sub(r"\b([A-Z])\.(?=[A-Z])", r"\1. ", name.strip())
    return {"name": name}


def _repository_from_url(url: str | None) -> str:
    if url and _WILSON_URL.match(url):
        return "Wilson Center Digital Archive"
    return re.sub(r"^https?://(www\.)?([^/]+).*$", r"\2", url or "") or "Unknown repository"


def _read_funding(text: str) -> dict[str, Any] | None:
    if not text:
        return None
    match = _FUNDING.search(text)
    funders: list[str] = []
    if match:
        who = (match.group("who") or match.group("who2")).rstrip(". ")
        funders = [re.sub(r"^the\s+", "", n, flags=re.IGNORECASE) for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+(?=the\s|[A-Z])", who)]
    return {"funders": [f for f in funders if f], "credit": text}


def _contents_language(section: _Section | None) -> str | None:
    if section is None:
        return None
    for _, line in section.lines:
        match = re.match(r"^\s*translation\s*[-–:]\s*(.+?)\s*$", line, re.IGNORECASE)
        if match:
            return match.group(1)
    return None


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
        if nxt is not None and _URL_BRACKETED.fullmatch(lines[nxt][1].strip()) or (
            nxt is not None and _URL_BARE.fullmatch(lines[nxt][1].strip())
        ):
            end = nxt + 1
    return lines[start:end], lines[end:]


def _paragraphs(lines: list[tuple[int, str]]) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    current: list[str] = []
    first = 0
    for number, line in lines + [(0, "")]:
        if line.strip():
            if not current:
                first = number
            current.append(line.strip())
        elif current:
            paragraphs.append(_Paragraph(" ".join(current), first))
            current = []
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
        if not any(_PAGE_MARKER.match(p.text) for p in body):
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
        excerpts: list[_Excerpt] = []
        current = None
        seen: dict[str, int] = {}
        for paragraph in body:
            marker = _PAGE_MARKER.match(paragraph.text)
            if marker:
                first, last = marker.group(1), marker.group(2)
                if last and int(last) < int(first):
                    raise self.reader.error(f"page marker {paragraph.text} runs backwards", paragraph.line)
                pages = f"{first}-{last}" if last else first
                if pages in seen:
                    raise self.reader.error(
                        f"page marker {paragraph.text} appears twice (first at line {seen[pages]})", paragraph.line
                    )
                seen[pages] = paragraph.line
                current = _Excerpt(f"p{pages}", pages, paragraph.line)
                excerpts.append(current)
            elif current is None:
                if not _ELISION.match(paragraph.text):
                    current = _Excerpt("e1", None, paragraph.line)
                    excerpts.append(current)
                    current.paragraphs.append(paragraph)
            else:
                current.paragraphs.append(paragraph)
        return excerpts

    def _read_excerpt(self, excerpt: _Excerpt, previous_date: Any) -> dict[str, Any]:
        paragraphs = [p.text for p in excerpt.paragraphs]
        headnote: str | None = None
        speakers: list[str] = []
        description: str | None = None
        date: Any = None
        if paragraphs:
            headnote, rest = _split_headnote(paragraphs[0])
            if headnote is not None:
                paragraphs[0] = rest
                try:
                    date, description, named = self._read_headnote(headnote)
                except ValueError as exc:
                    raise self.reader.error(f"headnote [{headnote}]: {brief(exc)}", excerpt.paragraphs[0].line) from None
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
            item["date"], item["date_inherited"] = previous_date, True
        item["speakers"] = speakers
        item["title"] = _descriptive_title(description, speakers, excerpt)
        item["text"] = "\n\n".join(paragraphs)
        return item

    def _read_headnote(self, headnote: str) -> tuple[Any, str | None, list[str]]:
        date = None
        found = find_date(headnote)
        rest = headnote
        if found is not None:
            date = found[0]
            before, after = headnote[: found[1]], headnote[found[2] :]
            before = re.sub(r"\s*\b(on|of|dated)\s*$", "", before)
            rest = (before.rstrip() + " " + after.lstrip()).strip()
        named: list[str] = []
        description: list[str] = []
        for sentence in _sentences(rest):
            sentence = sentence.strip().strip(".:;, ")
            if not sentence:
                continue
            name = _NAME_ONLY.match(sentence)
            if name and self._is_name(name.group("name")):
                named.append(self._add_person(name.group("name"), name.group("v1") or name.group("v2")))
            else:
                description.append(sentence)
        return date, (description[0] if description else None), named

    def _turn_speaker(self, text: str) -> str | None:
        match = _LABEL.match(text) or _TURN.match(text)
        if not match or not self._is_name(match.group("name")):
            return None
        return self._add_person(match.group("name"), match.group("v1") or match.group("v2"))

    @staticmethod
    def _is_name(name: str) -> bool:
        words = [w.lower().strip(".") for w in name.split() if not re.fullmatch(r"(?:[A-Z]\.\s?)+", w)]
        return not any(w in _NOT_NAMES for w in words)

    def _add_person(self, name: str, variant: str | None) -> str:
        """Merge a speaker into the document's people; return the canonical name."""
        keys = [_name_key(name)] + ([_name_key(variant)] if variant else [])
        index = next((self.keys[k] for k in keys if k in self.keys), None)
        if index is None:
            index = len(self.people)
            self.people.append({"name": name, "variants": []})
        person = self.people[index]
        for spelling in (name, variant):
            if spelling and _name_key(spelling) != _name_key(person["name"]) and spelling not in person["variants"]:
                person["variants"].append(spelling.strip())
            if spelling:
                self.keys[_name_key(spelling)] = index
        return str(person["name"])


def _split_headnote(paragraph: str) -> tuple[str | None, str]:
    """'[17 June 1960 ...]: text' -> ('17 June 1960 ...', 'text'); a bare speaker label is not a headnote."""
    if not paragraph.startswith("["):
        return None, paragraph
    depth = 0
    for index, char in enumerate(paragraph):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            inner = paragraph[1:index].strip()
            if _NAME_ONLY.match(inner) and not find_date(inner) or _ELISION.match(paragraph[: index + 1]):
                return None, paragraph
            rest = paragraph[index + 1 :].lstrip(":").strip()
            return inner, rest
    return None, paragraph


def _name_key(name: str) -> str:
    return re.sub(r"[\s.\-]+", "", name).casefold()


def _descriptive_title(description: str | None, speakers: list[str], excerpt: _Excerpt) -> str:
    """What the excerpt is: a conversation between its speakers, else what its headnote says it is."""
    if len(speakers) >= 2:
        names = speakers[0] + " and " + speakers[1] if len(speakers) == 2 else ", ".join(speakers[:-1]) + ", and " + speakers[-1]
        return f"Conversation between {names}"
    if description:
        text = re.sub(r"^(?:from|in)\s+(?:the\s+)?", "", description, flags=re.IGNORECASE).strip()
        return text[:1].upper() + text[1:]
    if speakers:
        return f"Remarks by {speakers[0]}"
    return f"Excerpt, pages {excerpt.pages}" if excerpt.pages else f"Excerpt {excerpt.id[1:]}"


def load_documents(text: str, path: str | None = None) -> list[Document]:
    """The registry's entry point: a record text holds one document."""
    return [load(text, path)]

"""Hypothesis strategies for archcite's models, shared by the round-trip tests of every format.

``documents()`` draws only valid Documents: each one is built through the models,
so a strategy that drifts from the models fails loudly instead of testing
nothing.  The text mixes the scripts archival records meet (Latin with
diacritics, Cyrillic, Hangul, Chinese) with the punctuation citations use;
dates are exact, partial, approximate and ranges; every optional section is
sometimes missing.
"""

from __future__ import annotations

import calendar
from typing import Any

from hypothesis import strategies as st

from archcite.models import (
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
)

# Words a record really holds, so that shrunk examples stay readable, and random
# letters of the same scripts, so that nothing depends on the word list.
WORDS = (
    "Kim", "Il", "Sung", "Khrushchev", "Pak", "Seong-cheol", "Nguyễn", "Văn", "Đồng", "Ким", "Ир", "Сен",
    "Хрущёв", "Корейский", "полуостров", "김일성", "박성철", "조선", "毛泽东", "周恩来", "人民日报",
    "Müller", "Łódź", "São", "Paulo", "Ærø", "Archive", "Foreign", "Policy", "fond", "opis", "delo",
    "Conversation", "between", "and", "the", "of", "d'Estaing", "O'Neill", "«Правда»", "“quoted”", "1961",
)  # fmt: skip
SCRIPTS = st.characters(
    categories=("Lu", "Ll", "Lo", "Nd"),
    include_characters="-'.,:;()[]/&<>",
    # Latin with diacritics, Cyrillic, Hangul syllables, CJK ideographs.
    max_codepoint=0x9FFF,
) | st.sampled_from("áéíóúàèçñøåäöüßđłőžščřěАБВГДЖЗИЙКЛабвгдёжзийклмнопрстухцчшщъыьэюя한국어조선말中文文献档案")

word = st.sampled_from(WORDS) | st.text(SCRIPTS, min_size=1, max_size=8)


def phrase(min_words: int = 1, max_words: int = 8) -> st.SearchStrategy[str]:
    """Words joined by single spaces: a title, a name, a place."""
    return st.lists(word, min_size=min_words, max_size=max_words).map(" ".join)


# Free text as records hold it: several lines, tabs, trailing spaces, any of it.
free_text = st.text(st.characters(codec="utf-8"), max_size=200)  # utf-8: no lone surrogates

LANGUAGE_CODES = ("ru", "ko", "zh", "zh-Hant", "ja", "vi", "de", "fr", "pl", "en", "sr-Latn", "ko-KP")


@st.composite
def languages(draw: st.DrawFn) -> Language:
    code = draw(st.sampled_from(LANGUAGE_CODES))
    # Usually the code's English name; sometimes the record's own ("Russisch", "조선말").
    name = draw(st.none() | phrase(1, 2))
    return Language(code=code, name=name or "")


@st.composite
def people(draw: st.DrawFn) -> Person:
    name = draw(phrase(1, 4))
    data: dict[str, Any] = {"name": name}
    if draw(st.booleans()):
        # An explicit split, as for Korean names whose family name comes first.
        words = name.split()
        data["family"] = words[0]
        data["given"] = " ".join(words[1:]) or None
    data["variants"] = draw(st.lists(phrase(1, 4), max_size=2))
    return Person.model_validate(data)


def _point(draw: st.DrawFn, year: int) -> dict[str, Any]:
    point: dict[str, Any] = {"year": year, "approximate": draw(st.booleans())}
    if draw(st.booleans()):
        point["month"] = draw(st.integers(1, 12))
        if draw(st.booleans()):
            point["day"] = draw(st.integers(1, calendar.monthrange(year, point["month"])[1]))
    return point


@st.composite
def dates(draw: st.DrawFn) -> FuzzyDate:
    """Exact, partial (year, year-month), approximate, and ranges of those."""
    start = _point(draw, draw(st.integers(1000, 2090)))
    if draw(st.integers(0, 3)) == 0:
        end = _point(draw, draw(st.integers(start["year"] + 1, start["year"] + 9)))
        if draw(st.booleans()):
            end["approximate"] = start["approximate"]  # the usual case: circa for the whole range
        start["end"] = end
    return FuzzyDate.model_validate(start)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def translations(draw: st.DrawFn) -> Translation:
    return Translation(
        language=draw(languages()),
        translators=draw(st.lists(people(), max_size=3)),
        translated_for=draw(_optional(phrase(1, 3))),
        obtained_by=draw(st.lists(people(), max_size=2)),
    )


@st.composite
def publications(draw: st.DrawFn) -> OriginalPublication:
    return OriginalPublication(
        authors=draw(st.lists(people(), max_size=3)),
        title=draw(phrase(1, 10)),
        title_translated=draw(_optional(phrase(1, 10))),
        place=draw(_optional(phrase(1, 2))),
        publisher=draw(_optional(phrase(1, 4))),
        date=draw(_optional(dates())),
        pages=draw(_optional(st.from_regex(r"\A[0-9]{1,3}(-[0-9]{1,3})?\Z"))),
    )


@st.composite
def archival_sources(draw: st.DrawFn) -> ArchivalSource:
    return ArchivalSource(
        archive=draw(phrase(1, 8)),
        place=draw(_optional(phrase(1, 2))),
        collection=draw(_optional(phrase(1, 5))),
        location=draw(_optional(st.sampled_from(["f. 0102, op. 16, p. 85, d. 24, ll. 1-4", "Box 3, Folder 12"]) | phrase(1, 6))),
    )


@st.composite
def repositories(draw: st.DrawFn) -> Repository:
    number = draw(st.integers(1, 999_999))
    url = draw(
        _optional(
            st.sampled_from([f"https://digitalarchive.wilsoncenter.org/document/{number}", f"http://例え.jp/документ/{number}?q=1"])
        )
    )
    return Repository(
        name=draw(st.sampled_from(["Wilson Center Digital Archive"]) | phrase(1, 4)),
        url=url,
        identifier=draw(_optional(st.just(str(number)))),
    )


@st.composite
def fundings(draw: st.DrawFn) -> Funding:
    # Funding() with nothing in it is valid too, and must survive a round trip.
    return Funding(funders=draw(st.lists(phrase(1, 4), max_size=3)), credit=draw(_optional(phrase(1, 12))))


@st.composite
def excerpt_lists(draw: st.DrawFn, names: list[str]) -> list[Excerpt]:
    ids = draw(
        st.lists(
            st.from_regex(r"\Ap[0-9]{1,3}(-[0-9]{1,3})?\Z") | st.from_regex(r"\Ap[ivxlc]{1,4}\Z") | st.from_regex(r"\Ae[0-9]{1,2}\Z"),
            max_size=4,
            unique=True,
        )
    )
    excerpts = []
    for excerpt_id in ids:
        excerpts.append(
            Excerpt(
                id=excerpt_id,
                title=draw(phrase(1, 10)),
                pages=draw(_optional(st.just(excerpt_id[1:]) if excerpt_id.startswith("p") else phrase(1, 1))),
                date=draw(_optional(dates())),
                date_inherited=draw(st.booleans()),
                headnote=draw(_optional(free_text)),
                speakers=draw(st.lists(st.sampled_from(names), unique=True, max_size=3)) if names else [],
                text=draw(free_text),
            )
        )
    return excerpts


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A valid Document, with any of its optional parts missing."""
    cast = draw(st.lists(people(), max_size=4, unique_by=lambda p: p.name))
    return Document(
        id=draw(st.from_regex(r"\Awcda-[0-9]{1,6}\Z") | st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,30}\Z")),
        title=draw(phrase(1, 12)),
        date=draw(_optional(dates())),
        summary=draw(_optional(free_text)),
        genre=draw(_optional(st.sampled_from(["Record of conversation", "Letter", "Telegram"]) | phrase(1, 3))),
        original_language=draw(_optional(languages())),
        translation=draw(_optional(translations())),
        original_publication=draw(_optional(publications())),
        archival_source=draw(_optional(archival_sources())),
        repository=draw(_optional(repositories())),
        funding=draw(_optional(fundings())),
        people=cast,
        excerpts=draw(excerpt_lists([p.name for p in cast])),
        citation=draw(_optional(free_text)),
    )

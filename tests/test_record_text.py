"""The record-text importer: the seed record field by field, the hand-written records in
tests/record_texts/ (one expectation table each), bad inputs with their messages, and
mutated seeds that must load or fail with a RecordError, never another exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archcite.errors import RecordError
from archcite.formats.record_text import load, load_documents, load_with_notes, parse_citation
from archcite.models import Document

SEED = Path(__file__).parents[2] / "shared/seeds/000_4db5b8ae459dc3cc.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
RECORDS = Path(__file__).parent / "record_texts"


@pytest.fixture(scope="module")
def seed_document() -> Document:
    return load(SEED_TEXT, str(SEED))


def summary(doc: Document) -> dict[str, Any]:
    """The parsed fields of a document, flattened so one table can state them all."""
    t, pub, arc, rep, fund = doc.translation, doc.original_publication, doc.archival_source, doc.repository, doc.funding
    return {
        "id": doc.id,
        "title": doc.title,
        "date": str(doc.date) if doc.date else None,
        "has_summary": doc.summary is not None,
        "original_language": doc.original_language.code if doc.original_language else None,
        "version_language": t.language.code if t else None,
        "translators": [p.name for p in t.translators] if t else [],
        "translated_for": t.translated_for if t else None,
        "obtained_by": [p.name for p in t.obtained_by] if t else [],
        "funders": fund.funders if fund else None,
        "repository": (rep.name, rep.url, rep.identifier) if rep else None,
        "archive": (arc.archive, arc.location) if arc else None,
        "publication": pub
        and {
            "authors": [a.name for a in pub.authors],
            "title": pub.title,
            "title_translated": pub.title_translated,
            "place": pub.place,
            "publisher": pub.publisher,
            "date": str(pub.date) if pub.date else None,
            "pages": pub.pages,
        },
        "people": {p.name: p.variants for p in doc.people},
        # (id, date, date_inherited, speakers, title)
        "excerpts": [(e.id, str(e.date) if e.date else None, e.date_inherited, e.speakers, e.title) for e in doc.excerpts],
    }


# --- the seed, field by field --------------------------------------------------


def test_seed_document(seed_document: Document) -> None:
    doc = seed_document
    assert doc.id == "wcda-114978"
    assert doc.title == "Excerpts from V.P. Tkachenko 'The Korean Peninsula and Russia's Interests'"
    assert str(doc.date) == "1960-06-17"
    assert doc.summary is not None and doc.summary.startswith("A compilation of conversations")
    assert doc.original_language is not None
    assert (doc.original_language.code, doc.original_language.name) == ("ru", "Russian")
    assert doc.citation is not None and doc.citation.startswith('"Excerpts from V.P. Tkachenko')
    assert doc.archival_source is None


def test_seed_translation(seed_document: Document) -> None:
    translation = seed_document.translation
    assert translation is not None
    assert (translation.language.code, translation.language.name) == ("en", "English")
    assert [p.name for p in translation.translators] == ["Gary Goldberg"]
    assert translation.translated_for == "NKIDP"
    assert translation.obtained_by == []


def test_seed_funding_and_repository(seed_document: Document) -> None:
    assert seed_document.funding is not None
    assert seed_document.funding.funders == ["Leon Levy Foundation"]
    assert seed_document.funding.credit == "This document was made possible with support from Leon Levy Foundation"
    repository = seed_document.repository
    assert repository is not None
    assert repository.name == "Wilson Center Digital Archive"
    assert repository.url == "https://digitalarchive.umd.edu/document/114978"
    assert repository.identifier == "114978"


def test_seed_original_publication(seed_document: Document) -> None:
    publication = seed_document.original_publication
    assert publication is not None
    assert [a.name for a in publication.authors] == ["V. P. Tkachenko"]
    assert publication.title == "Koreiskii Poluostrov i interesi Rossii"
    assert publication.title_translated == "The Korean Peninsula and Russia's Interests"
    assert (publication.place, publication.publisher, str(publication.date)) == ("Moscow", "Vostochnaya Literatura", "2000")
    assert publication.pages is None


SEED_EXCERPTS = [
    # id, pages, date, date_inherited, speakers, title
    ("p19-20", "19-20", "1960-06-17", False, ["Kim Il Sung", "N. S. Khrushchev"],
     "Conversation between Kim Il Sung and N. S. Khrushchev"),
    ("p21-22", "21-22", "1961-03", False, ["N. S. Khrushchev", "Kim Gwang-hyeop"],
     "Conversation between N. S. Khrushchev and Kim Gwang-hyeop"),
    ("p25", "25", "1971-10-08", False, ["Pak Seong-cheol"], "Remarks by Pak Seong-cheol"),
    ("p26", "26", "1971-10-08", True, ["L. I. Brezhnev", "Pak Seong-cheol"],
     "Conversation between L. I. Brezhnev and Pak Seong-cheol"),
    ("p27-28", "27-28", "1971-11-17", False, [], "Text of a Soviet note to the DPRK"),
    ("p31", "31", "1969-12-09", False, ["Pak Seong-cheol"],
     "Draft notes of a conversation between L. I. Brezhnev and Pak Seong-cheol"),
]  # fmt: skip


def test_seed_excerpt_order(seed_document: Document) -> None:
    assert [e.id for e in seed_document.excerpts] == [row[0] for row in SEED_EXCERPTS]


@pytest.mark.parametrize(("excerpt_id", "pages", "date", "inherited", "speakers", "title"), SEED_EXCERPTS)
def test_seed_excerpt(
    seed_document: Document, excerpt_id: str, pages: str, date: str, inherited: bool, speakers: list[str], title: str
) -> None:
    excerpt = seed_document.excerpt(excerpt_id)
    assert excerpt.pages == pages
    assert str(excerpt.date) == date
    assert excerpt.date_inherited is inherited
    assert excerpt.speakers == speakers
    assert excerpt.title == title


def test_seed_headnotes(seed_document: Document) -> None:
    assert seed_document.excerpt("p21-22").headnote == "March 1961"
    assert seed_document.excerpt("p25").headnote == "8 October 1971. Pak Seong-cheol (Pak Song Chol)"
    assert seed_document.excerpt("p26").headnote is None
    p31 = seed_document.excerpt("p31").headnote
    assert p31 is not None and p31.startswith("from the draft notes of a conversation between L. I. Brezhnev")


def test_seed_name_variants_merged(seed_document: Document) -> None:
    people = {p.name: p.variants for p in seed_document.people}
    assert people == {
        "Kim Il Sung": [],
        "N. S. Khrushchev": [],
        "Kim Gwang-hyeop": ["Kim Kwang Hyop"],
        "Pak Seong-cheol": ["Pak Song Chol"],
        "L. I. Brezhnev": [],
    }


def test_seed_text_keeps_elisions_and_notes(seed_document: Document) -> None:
    first = seed_document.excerpt("p19-20").text
    assert first.startswith("Kim Il Sung. Further, we would like")
    assert "[Translator's note: sderzhivat', which can also mean \"to stand up to\"]" in first
    # The "[...]" that follows, before the marker [21-22], separates the excerpts: no text of p19-20.
    assert first.endswith("Kim Il Sung. The first half of September")
    assert "preparations for the [CPSU] Congress" in seed_document.excerpt("p21-22").text
    assert "[might] use this against us" in seed_document.excerpt("p27-28").text
    # The headnote is not text; a speaker label is.
    assert seed_document.excerpt("p25").text.startswith("In accordance with its plan")
    assert seed_document.excerpt("p31").text.startswith("[Pak Seong-cheol] We would like")


def test_a_lost_page_marker_is_noted_where_the_next_excerpt_opens() -> None:
    """Without "[21-22]", p19-20 ran on through "[...]" into the March 1961 conversation,
    and its pages and date claimed it, silently.  The text is still read as before (an
    elision inside an excerpt can be real), with a note at the headnote's line."""
    text = SEED_TEXT.replace("[21-22]\n\n", "", 1)
    [doc], notes = load_with_notes(text, "seed.txt")
    assert [e.id for e in doc.excerpts] == ["p19-20", "p25", "p26", "p27-28", "p31"]
    headnote_line = text.split("\n").index(next(l for l in text.split("\n") if l.startswith("[March 1961]"))) + 1
    assert len(notes) == 1, notes
    assert notes[0].startswith(
        f"seed.txt:{headnote_line}: excerpt p19-20 goes on after [...] at line {headnote_line - 2} "
        "with the dated headnote [March 1961], as a new excerpt opens: if its page marker is missing, add it"
    )
    # An elision followed by undated text, or by a speaker's label, is no sign of a lost marker.
    inside = SEED_TEXT.replace("Kim Il Sung. The first half of September", "[...]\n\n[Kim Il Sung] The first half", 1)
    assert load_with_notes(inside, "seed.txt")[1] == []


def test_load_documents_is_the_registry_entry() -> None:
    [doc] = load_documents(SEED_TEXT, "seed.txt")
    assert doc.id == "wcda-114978"


# --- hand-written records ------------------------------------------------------

EXPECTED: dict[str, dict[str, Any]] = {
    "01_chinese_cable_mercado.txt": {
        "id": "wcda-310001",
        "title": "Cable from the Chinese Embassy in Pyongyang, 'Kim Il Sung on the Draft Treaty'",
        "date": "1961-04-12",
        "has_summary": True,
        "original_language": "zh",
        "version_language": "en",
        "translators": ["Stephen Mercado"],
        "translated_for": None,
        "obtained_by": [],
        "funders": ["Leon Levy Foundation", "Korea Foundation"],
        "repository": (
            "History and Public Policy Program Digital Archive",
            "https://digitalarchive.wilsoncenter.org/document/310001",
            "310001",
        ),
        "archive": ("PRC FMA", "106-00581-01"),
        "publication": None,
        "people": {"Qiao Xiaoguang": [], "Kim Il Sung": []},
        "excerpts": [
            ("p1-2", "1961-04-12", False, [], "Report on Kim Il Sung's remarks to Ambassador Qiao Xiaoguang"),
            ("p3", "1961-04-12", True, ["Qiao Xiaoguang", "Kim Il Sung"],
             "Conversation between Qiao Xiaoguang and Kim Il Sung"),
        ],
        # The "[...]" before the marker [3] is the layout's separator, not text of p1-2
        # (test_elision_before_a_page_marker_is_no_text).
        "texts": {"p1-2": ["leans to one side [yibiandao] [Translator's note: the phrase Mao used"]},
    },
    "02_hungarian_memo_szalontai.txt": {
        "id": "wcda-310002",
        "title": "Memorandum, Hungarian Embassy in the DPRK, 7 June 1973",
        "date": "1973-06-07",
        "has_summary": True,
        "original_language": "hu",
        "version_language": "en",
        "translators": ["Balazs Szalontai"],
        "translated_for": "NKIDP",
        "obtained_by": [],
        "funders": ["MacArthur Foundation"],
        "repository": (
            "History and Public Policy Program Digital Archive",
            "https://digitalarchive.wilsoncenter.org/document/310002",
            "310002",
        ),
        "archive": (
            "Archive of the Ministry of Foreign Affairs of Hungary (MOL)",
            "XIX-J-1-j Korea, 1973, 78. doboz, 81-1, 002173/1973",
        ),
        "publication": None,
        "people": {"Ödön Kovács": [], "Ri Man-seok": []},
        # One excerpt without page markers; its headnote names the speakers but gives no date.
        "excerpts": [("e1", None, False, ["Ödön Kovács", "Ri Man-seok"], "Conversation between Ödön Kovács and Ri Man-seok")],
        "texts": {"e1": ["Ödön Kovács. I asked how"]},
    },
    "03_august_1962_obtained_by.txt": {
        "id": "wcda-310003",
        "title": "Information on Talks with a DPRK Trade Delegation",
        "date": "1962-08",
        "has_summary": True,
        "original_language": "ru",
        "version_language": "en",
        "translators": ["Daniel Kessler"],
        "translated_for": None,
        "obtained_by": ["Natalia Orlova"],
        "funders": ["Leon Levy Foundation"],
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310003", "310003"),
        "archive": ("RGANI", "fond 5, opis 30, delo 335, listy 90-92"),
        "publication": None,
        # "Ri Ju-yeon (Ri Ju Yon)." first, then "Ri Ju Yon." alone: one person.
        "people": {"A. I. Mikoyan": [], "Ri Ju-yeon": ["Ri Ju Yon"]},
        "excerpts": [
            ("p90-91", "1962-08", False, ["A. I. Mikoyan", "Ri Ju-yeon"], "Conversation between A. I. Mikoyan and Ri Ju-yeon"),
            ("p92", "1962-08", True, ["Ri Ju-yeon", "A. I. Mikoyan"], "Conversation between Ri Ju-yeon and A. I. Mikoyan"),
        ],
        "texts": {"p92": ["Ri Ju Yon. We thank"]},
    },
    "04_unquoted_title_1955.txt": {
        "id": "wcda-310004",
        "title": "Report on the Korean Countryside after the 1954 Harvest",
        "date": "1955",
        "has_summary": True,
        "original_language": "ru",
        "version_language": "en",
        "translators": ["Anna Petrova"],
        "translated_for": None,
        "obtained_by": [],
        "funders": ["Leon Levy Foundation"],
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310004", "310004"),
        "archive": ("AVPRF", "fond 0102, opis 11, delo 5, papka 60, listy 1-10"),
        "publication": None,
        "people": {},
        "excerpts": [
            ("p1", "1955~", False, [], "Report of the Soviet Embassy in Pyongyang"),
            # Opens with a translator's note, which is no headnote: the date is inherited.
            ("p2-3", "1955~", True, [], "Excerpt, pages 2-3"),
        ],
        "texts": {"p1": ["run out of grain [...] and eat grass"], "p2-3": ["[Translator's note: the tax in kind"]},
    },
    "05_curly_quotes_three_translators.txt": {
        "id": "wcda-310005",
        "title": "Memorandum of Conversation between Zhou Enlai and Kim Il Sung",
        "date": "1970-10-10",
        "has_summary": True,
        "original_language": "zh",
        "version_language": "en",
        "translators": ["Lin Yafeng", "Hannah Ko", "Seo Jae-won"],
        "translated_for": None,
        "obtained_by": [],
        "funders": ["ChinaUS Focus"],
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310005", "310005"),
        "archive": ("PRC FMA", "109-03957-02"),
        "publication": None,
        "people": {"Zhou Enlai": [], "Kim Il Sung": []},
        "excerpts": [
            ("p5", "1970-10-10", False, ["Zhou Enlai", "Kim Il Sung"], "Conversation between Zhou Enlai and Kim Il Sung"),
            ("p6", "1970-10-10", True, ["Zhou Enlai"], "Remarks by Zhou Enlai"),
        ],
        "texts": {},
    },
    "06_bare_url_obtained_and_translated.txt": {
        "id": "wcda-310006",
        "title": "Telegram from the Romanian Embassy in Pyongyang",
        "date": "1965-03-05",
        "has_summary": True,
        "original_language": "ro",
        "version_language": "en",
        "translators": ["Eliza Gheorghe"],
        "translated_for": None,
        "obtained_by": ["Eliza Gheorghe"],
        "funders": ["Leon Levy Foundation"],
        # The citation gives "digitalarchive.wilsoncenter.org/document/310006", no scheme, no brackets.
        "repository": (
            "History and Public Policy Program Digital Archive",
            "https://digitalarchive.wilsoncenter.org/document/310006",
            "310006",
        ),
        "archive": ("Archive of the Romanian Ministry of Foreign Affairs", "Folder 1965/Coreea, Issue 220, Year 1965"),
        "publication": None,
        "people": {},
        "excerpts": [
            ("p4-5", "1965-03-05", False, [], "Telegram from the Romanian Embassy in Pyongyang to the Ministry of Foreign Affairs"),
        ],
        "texts": {},
    },
    "07_no_page_markers_labels.txt": {
        "id": "wcda-310007",
        "title": "Record of a Conversation with Kim Il Sung",
        "date": "1956-11-02",
        "has_summary": True,
        "original_language": "ru",
        "version_language": "en",
        "translators": ["Gary Goldberg"],
        "translated_for": None,
        "obtained_by": [],
        "funders": None,
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310007", "310007"),
        "archive": ("AVPRF", "fond 0102, opis 12, delo 6, papka 68, listy 70-72"),
        "publication": None,
        "people": {"A. M. Puzanov": [], "Kim Il Sung": ["Kim Ir Sen"]},
        "excerpts": [
            ("e1", "1956-11-02", False, ["A. M. Puzanov", "Kim Il Sung"], "Conversation between A. M. Puzanov and Kim Il Sung"),
            ("e2", "1956-11-02", True, ["Kim Il Sung", "A. M. Puzanov"], "Conversation between Kim Il Sung and A. M. Puzanov"),
        ],
        "texts": {"e1": ["[A. M. Puzanov] I informed"], "e2": ["[Kim Ir Sen] We ask"]},
    },
    "08_cyrillic_hangul_diacritics.txt": {
        "id": "wcda-310008",
        "title": "Excerpt from I. S. Kravtsova, 'Soviet-Korean Negotiations, 1956–1964'",
        "date": "1958-09-14",
        "has_summary": True,
        "original_language": "ru",
        "version_language": "en",
        "translators": ["Ekaterina Sokolova"],
        "translated_for": None,
        "obtained_by": [],
        "funders": ["Korea Foundation"],
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310008", "310008"),
        "archive": None,
        # "(Place: Publisher, Year), pages" with an en dash in the pages.
        "publication": {
            "authors": ["И. С. Кравцова"],
            "title": "Советско-корейские переговоры",
            "title_translated": "Soviet-Korean Negotiations",
            "place": "Москва",
            "publisher": "Наука",
            "date": "2004",
            "pages": "45-47",
        },
        "people": {"A. M. Puzanov": [], "Ch'oe Yong-gŏn": ["최용건"]},
        "excerpts": [
            ("p45-46", "1958-09-14", False, ["A. M. Puzanov", "Ch'oe Yong-gŏn"],
             "Conversation between A. M. Puzanov and Ch'oe Yong-gŏn"),
            ("p47", "1958-09-14", True, ["Ch'oe Yong-gŏn"], "Remarks by Ch'oe Yong-gŏn"),
        ],
        "texts": {"p47": ["Ștefan Voitec told me"]},
    },
    "09_minimal_no_url_translated_for.txt": {
        # No URL: the id is a slug of the title.
        "id": "note-from-the-soviet-embassy-on-the-pueblo-incident",
        "title": "Note from the Soviet Embassy on the Pueblo Incident",
        "date": "1968-01-24",
        "has_summary": False,
        "original_language": None,
        "version_language": "en",
        "translators": ["Aleksei Moroz"],
        "translated_for": "NKIDP",
        "obtained_by": [],
        "funders": None,
        "repository": ("Wilson Center Digital Archive", None, None),
        "archive": ("AVPRF", "fond 0102, opis 24, delo 3, papka 118, listy 21-22"),
        "publication": None,
        "people": {},
        "excerpts": [
            ("p21", "1968-01-24", False, [], "Note of the Soviet Embassy"),
            ("p22", "1968-01-24", True, [], "Excerpt, page 22"),
        ],
        "texts": {},
    },
    "10_circa_curly_comma_inside.txt": {
        "id": "wcda-310010",
        "title": "Information on the Visit of a Chinese Delegation to the DPRK",
        "date": "1965~",
        "has_summary": True,
        "original_language": "de",
        "version_language": "en",
        "translators": ["Karin Lutz"],
        "translated_for": "NKIDP",
        "obtained_by": ["Jonas Weber", "Petra Lang"],
        "funders": ["Leon Levy Foundation"],
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310010", "310010"),
        "archive": ("Political Archive of the Federal Foreign Office (PA AA)", "MfAA C 1088/70"),
        "publication": None,
        "people": {},
        # The first excerpt has no headnote and nothing before it to inherit a date from.
        "excerpts": [("e1", None, False, [], "Excerpt 1")],
        "texts": {"e1": ["[Translator's note: the first page"]},
    },
    "11_obtained_and_contributed.txt": {
        "id": "wcda-310011",
        "title": "Conversation between Zhou Enlai and Kim Il Sung on the Shelling of Jinmen",
        "date": "1958-09-03",
        "has_summary": True,
        "original_language": "zh",
        "version_language": "en",
        # "Obtained and contributed by X and translated by Y": "contributed" has no field (a
        # note says so); it must neither end the source mid-phrase nor hide the people.
        "translators": ["Kim Min-ji"],
        "translated_for": None,
        "obtained_by": ["Balázs Szalontai"],
        "funders": None,
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310011", "310011"),
        "archive": ("PRC FMA", "109-00834-02, 1-5"),
        "publication": None,
        "people": {"Zhou Enlai": [], "Kim Il Sung": []},
        "excerpts": [
            ("p1-2", "1958-09-03", False, ["Zhou Enlai", "Kim Il Sung"], "Conversation between Zhou Enlai and Kim Il Sung"),
            ("p5", "1958-09-03", True, ["Kim Il Sung"], "Remarks by Kim Il Sung"),
        ],
        # The elision inside p1-2 is text; those before [5] and at the end are the layout's.
        "texts": {"p1-2": ["understand this.\n\n[...]\n\nZhou Enlai. We will tell you"]},
    },
    "12_translated_from_edited_by.txt": {
        "id": "wcda-310012",
        "title": "Telegram from Mao Zedong to Stalin on Sending Troops to Korea",
        "date": "1950-10-02",
        "has_summary": True,
        # No 'Original Language:' section: "Translated from the Russian" gives it.
        "original_language": "ru",
        "version_language": "en",
        # "; edited by David Wolff" is no part of the translator's name, and has no field.
        "translators": ["Chen Jian"],
        "translated_for": None,
        "obtained_by": [],
        "funders": None,
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310012", "310012"),
        "archive": ("APRF", "fond 45, opis 1, delo 334, listy 105-106"),
        "publication": None,
        "people": {"Mao Zedong": []},
        "excerpts": [("p105", "1950-10-02", False, ["Mao Zedong"], "Mao Zedong to Filippov (Stalin)")],
        "texts": {},
    },
    "13_contributed_translator_variant.txt": {
        "id": "wcda-310013",
        "title": "Record of Conversation between Kosygin and Kim Il Sung",
        "date": "1965-05-14",
        "has_summary": True,
        "original_language": "ru",
        "version_language": "en",
        # "[Jeon Gyeong-min]" is another spelling of the translator, as for speakers.
        "translators": ["Jeon Kyung-Min"],
        "translated_for": "NKIDP",
        "obtained_by": [],
        "funders": None,
        "repository": ("Wilson Center Digital Archive", "https://digitalarchive.wilsoncenter.org/document/310013", "310013"),
        "archive": ("RGANI", "fond 5, opis 49, delo 757, listy 12-14"),
        "publication": None,
        "people": {"A. N. Kosygin": [], "Kim Il Sung": ["Kim Ir Sen"]},
        "excerpts": [
            ("p12-13", "1965-05-14", False, ["A. N. Kosygin", "Kim Il Sung"], "Conversation between A. N. Kosygin and Kim Il Sung"),
        ],
        "texts": {},
    },
}  # fmt: skip


def test_every_record_text_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in RECORDS.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_record_text(name: str) -> None:
    expected = dict(EXPECTED[name])
    texts: dict[str, list[str]] = expected.pop("texts")
    doc = load((RECORDS / name).read_text(encoding="utf-8"), name)
    assert summary(doc) == expected
    for excerpt_id, fragments in texts.items():
        for fragment in fragments:
            assert fragment in doc.excerpt(excerpt_id).text


@pytest.mark.parametrize("name", [*sorted(EXPECTED), "seed"])
def test_citation_title_and_date_agree_with_the_head(name: str) -> None:
    """The citation line alone gives the same title and date as the record's first lines."""
    text = SEED_TEXT if name == "seed" else (RECORDS / name).read_text(encoding="utf-8")
    doc = load(text, name)
    assert doc.citation is not None
    parts = parse_citation(doc.citation)
    assert (parts.title, parts.date) == (doc.title, doc.date)


# --- bad input -----------------------------------------------------------------

# (old, new) edits the seed; the error must name the line and say what is wrong.
BAD_SEEDS = {
    "date line not in the calendar": ("June 17, 1960\n", "31 February 1961\n", 3, "1961-02-31 is not a day of the calendar"),
    "headnote date not in the calendar": (
        "[17 November 1971. Text", "[31 February 1971. Text", 110, "headnote [31 February 1971. Text of a Soviet"
    ),
    "citation date not in the calendar": ("June 17, 1960, Wilson", "February 30, 1960, Wilson", 9, "citation: 'February 30, 1960'"),
    "page marker twice": ("[26]", "[25]", 94, "page marker [25] appears twice (first at line 86)"),
    "page marker backwards": ("[21-22]", "[22-21]", 64, "page marker [22-21] runs backwards"),
    "section twice": ("Credits:\n", "Credits:\n\nMore.\n\nSummary:\n", 20, "'Summary:' section appears twice (first at line 12)"),
    "misspelt heading": ("Summary:", "Sumary:", 12, "did you mean 'Summary:'?"),
    "misspelt last heading": ("Contents:", "Contnets:", 24, "did you mean 'Contents:'?"),
    "missing Citation heading": ("Citation:\n", "", 8, "is the 'Citation:' heading missing"),
    "missing Summary heading": ("Summary:\n", "", 13, "is a heading such as 'Summary:' missing"),
    "missing Contents heading": ("Contents:\n", "", 25, "no 'Contents:' heading above it"),
    "second paragraph of Original Language": ("\nRussian\n", "\nRussian\n\nKorean\n", 24, "'Original Language:' section"),
    "unknown original language": ("\nRussian\n", "\nGibberish\n", 22, "unknown language 'Gibberish'"),
    "unknown version language": ("Translation - English", "Translation - Gibberish", 26, "unknown language 'Gibberish'"),
    "publication without italic title": ("*Koreiskii", "Koreiskii", 9, "cannot find the publication's *italic title*"),
    "unclosed headnote": (
        "[17 November 1971. Text of a Soviet note to the DPRK]",
        "[17 November 1971. Text of a Soviet note to the DPRK",
        110,
        "is never closed",
    ),
    "control character": ("The first half of September", "The first half\x07 of September", 60, "control character '\\x07'"),
    "NUL byte": ("Summary:", "Sum\x00mary:", 12, "control character '\\x00'"),
}  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "message"), list(BAD_SEEDS.values()), ids=list(BAD_SEEDS))
def test_bad_seed_edit(old: str, new: str, line: int, message: str) -> None:
    assert old in SEED_TEXT
    with pytest.raises(RecordError) as caught:
        load(SEED_TEXT.replace(old, new, 1), "bad.txt")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"bad.txt:{line}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "no title"),
        ("\n\n  \n", 1, "no title"),
        ("[19]\n\nKim Il Sung. Text.\n", 1, "no title"),
        ("June 17, 1960\n\nTitle\n\nA stray paragraph.\n", 5, "is the 'Citation:' heading missing"),
        ("June 17, 1960\n\nTitle\n\nCitation:\n\n\"Title\", May 40, 1960.\n", 7, "citation: 'May 40, 1960'"),
    ],
    ids=["empty", "blank", "body only", "stray paragraph", "day 40"],
)
def test_bad_whole_text(text: str, line: int, message: str) -> None:
    with pytest.raises(RecordError) as caught:
        load(text, "x.txt")
    assert caught.value.line == line
    assert message in str(caught.value)


def test_byte_order_mark_and_crlf_are_read() -> None:
    doc = load("\ufeffJune 17, 1960\r\n\r\nTitle\r\n\r\n[19]\r\n\r\nKim Il Sung. Text.\r\n", "x.txt")
    assert (doc.title, str(doc.date), doc.excerpts[0].speakers) == ("Title", "1960-06-17", ["Kim Il Sung"])


# --- nothing but RecordError ---------------------------------------------------

SEED_LINES = SEED_TEXT.split("\n")
# Characters the layout gives meaning to, so that mutations hit the parser's cases.
_TOKEN = st.one_of(
    st.sampled_from(list("[]()<>*:.,;\"“”'’-–/~ \t\n0123456789") + ["[...]", "Summary:", "[25]", "31 February 1961"]),
    st.characters(),
)


def _noise(max_tokens: int) -> st.SearchStrategy[str]:
    return st.lists(_TOKEN, max_size=max_tokens).map("".join)


_NOISE = _noise(12)
_INDEX = st.integers(min_value=0, max_value=len(SEED_LINES) - 1)
_MUTATION = st.one_of(
    st.tuples(st.just("delete"), _INDEX),
    st.tuples(st.just("duplicate"), _INDEX),
    st.tuples(st.just("swap"), _INDEX, _INDEX),
    st.tuples(st.just("insert"), _INDEX, st.integers(min_value=0, max_value=200), _NOISE),
)


def _mutate(lines: list[str], mutation: tuple[Any, ...]) -> None:
    kind, index, *args = mutation
    if not lines:
        return
    index %= len(lines)
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "swap":
        other = args[0] % len(lines)
        lines[index], lines[other] = lines[other], lines[index]
    else:
        column, noise = args
        line = lines[index]
        column %= len(line) + 1
        lines[index] = line[:column] + noise + line[column:]


def _loads_or_raises_record_error(text: str) -> None:
    try:
        doc = load(text, "mutant.txt")
    except RecordError as exc:
        assert str(exc).startswith("mutant.txt")
        assert "\n" not in str(exc)
    else:
        assert isinstance(doc, Document)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_seed_loads_or_raises_record_error(mutations: list[tuple[Any, ...]]) -> None:
    lines = list(SEED_LINES)
    for mutation in mutations:
        _mutate(lines, mutation)
    _loads_or_raises_record_error("\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(_noise(300))
def test_any_text_loads_or_raises_record_error(text: str) -> None:
    _loads_or_raises_record_error(text)


def test_loading_leaves_the_cycle_collector_as_it_found_it(seed_text: str) -> None:
    """The registry pauses the collector while it reads (archcite.gcpause), and restores it,
    also when the text is broken."""
    import gc

    from archcite.formats import get_format

    reader = get_format("record-text")
    assert gc.isenabled()
    assert reader.load(seed_text, "seed.txt")[0].id == "wcda-114978"
    assert gc.isenabled()
    with pytest.raises(RecordError):
        reader.load("", "broken.txt")
    assert gc.isenabled()
    gc.disable()
    try:
        reader.load(seed_text, "seed.txt")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_load_many_reads_as_load_each_with_the_collector_paused_throughout(seed_text: str) -> None:
    """Format.load_many: the documents of every text, in order, as load() reads each; the
    collector is off for the whole batch and restored after, also when a text is broken."""
    import gc

    from archcite.errors import FormatError
    from archcite.formats import get_format

    reader = get_format("record-text")
    texts = [(seed_text, "seed.txt")] + [(p.read_text(encoding="utf-8"), str(p)) for p in sorted(RECORDS.glob("*.txt"))]
    assert len(texts) > 3
    seen_enabled: list[bool] = []

    def sources():  # type: ignore[no-untyped-def]
        for source in texts:
            seen_enabled.append(gc.isenabled())
            yield source

    expected = [document for text, path in texts for document in reader.load(text, path)]
    assert gc.isenabled()
    assert reader.load_many(sources()) == expected
    assert seen_enabled == [False] * len(texts) and gc.isenabled()
    assert reader.load_many([]) == []
    with pytest.raises(RecordError) as caught:
        reader.load_many([(seed_text, "seed.txt"), ("", "broken.txt"), (seed_text, "seed.txt")])
    assert "broken.txt" in str(caught.value) and gc.isenabled()
    with pytest.raises(FormatError, match="cannot read chicago-note"):
        get_format("chicago-note").load_many([(seed_text, "seed.txt")])


@pytest.mark.parametrize("name", ["record-text", "yaml", "csl-json", "bibtex", "biblatex"])
def test_the_readers_say_they_take_text_not_bytes(name: str, seed_text: str) -> None:
    from archcite.formats import get_format

    reader = get_format(name)
    data = seed_text.encode()
    advice = rf"takes a {name} text as str, not bytes; decode it first \(data.decode\('utf-8'\)\)"
    for call, method in ((lambda: reader.load(data, "x"), "load"), (lambda: reader.load_with_notes(data, "x"), "load_with_notes"),
                         (lambda: reader.load_many([(data, "x")]), "load_many")):
        with pytest.raises(TypeError, match=rf"^{method}\(\) {advice}"):
            call()  # type: ignore[arg-type]


def test_load_records_reads_files_of_every_format_in_order(tmp_path: Path, seed_text: str) -> None:
    """archcite.load_records: every file's documents, in the order given, as load_record reads
    each; a file that cannot be read raises, naming it."""
    import archcite
    from archcite.formats import Item, get_format

    seed = load(seed_text, "seed.txt")
    other = seed.model_copy(update={"id": "wcda-2", "title": "Another record"})
    files = {
        "a.txt": seed_text,
        "b.json": get_format("csl-json").dump([Item(other), Item(seed)]),
        "c.yaml": get_format("yaml").dump([Item(other)]),
        "d.bib": get_format("biblatex").dump([Item(seed)]),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [tmp_path / name for name in files]
    expected: list[Document] = []
    for path in paths:
        read = archcite.load_record(str(path))
        expected.extend(read if isinstance(read, list) else [read])
    assert archcite.load_records(paths) == expected
    assert [d.id for d in expected] == ["wcda-114978", "wcda-2", "wcda-114978", "wcda-2", "wcda-114978"]
    missing = tmp_path / "missing.txt"
    with pytest.raises(archcite.ArchciteError, match="missing.txt"):
        archcite.load_records([paths[0], missing])


def test_speaker_variant_in_spaced_brackets_is_kept_once() -> None:
    # "[ Kim Kwang Hyop ]" is the same spelling as "[Kim Kwang Hyop]", however often the
    # speaker speaks; a variant of spaces alone is no spelling.
    text = SEED_TEXT.replace("Kim Gwang-hyeop [Kim Kwang Hyop]. We understand", "Kim Gwang-hyeop [ Kim Kwang Hyop ]. We understand", 1)
    more = "\n\nKim Gwang-hyeop [ Kim Kwang Hyop ]. Once more.\n\nN. S. Khrushchev [  ]. And again."
    text = text.replace("postponed twice.", "postponed twice." + more, 1)
    [doc] = load_documents(text, "spaced.txt")
    people = {p.name: p.variants for p in doc.people}
    assert people["Kim Gwang-hyeop"] == ["Kim Kwang Hyop"]
    assert people["N. S. Khrushchev"] == []
    assert sum("Once more." in e.text for e in doc.excerpts) == 1


# --- credit lines -----------------------------------------------------------------

_CITED = '"A Cable," September 3, 1958, Wilson Center Digital Archive, PRC FMA 109-00834-02, 1-5. {} <https://digitalarchive.wilsoncenter.org/document/1>'

# credit -> (translators as (name, variants), obtained_by, translated_for, translated from, what the notes say).
CREDITS: dict[str, tuple[list[tuple[str, list[str]]], list[str], str | None, str | None, list[str]]] = {
    "Translated by Gary Goldberg.": ([("Gary Goldberg", [])], [], None, None, []),
    "Obtained and translated by Eliza Gheorghe.": ([("Eliza Gheorghe", [])], ["Eliza Gheorghe"], None, None, []),
    "Translated by Aleksei Moroz for NKIDP.": ([("Aleksei Moroz", [])], [], "NKIDP", None, []),
    "Translated for CWIHP by Jörg Müller-Öhring.": ([("Jörg Müller-Öhring", [])], [], "CWIHP", None, []),
    "Obtained by Natalia Orlova and translated by Daniel Kessler.":
        ([("Daniel Kessler", [])], ["Natalia Orlova"], None, None, []),
    "Obtained by Jonas Weber and Petra Lang and translated for NKIDP by Karin Lutz.":
        ([("Karin Lutz", [])], ["Jonas Weber", "Petra Lang"], "NKIDP", None, []),
    "Translated by Zhang Qian and Chén Jiàn.": ([("Zhang Qian", []), ("Chén Jiàn", [])], [], None, None, []),
    # The trial's misreadings.
    "Obtained and contributed by Balázs Szalontai and translated by Kim Min-ji.":
        ([("Kim Min-ji", [])], ["Balázs Szalontai"], None, None, ["Balázs Szalontai is credited as a contributor"]),
    "Translated from the Chinese by Charles Kraus.": ([("Charles Kraus", [])], [], None, "Chinese", []),
    "Contributed by Sergey Radchenko.": ([], [], None, None, ["Sergey Radchenko is credited as a contributor"]),
    "Translated by Chen Jian; edited by David Wolff.":
        ([("Chen Jian", [])], [], None, None, ["David Wolff is credited as an editor"]),
    "Translated by Jeon Kyung-Min [Jeon Gyeong-min].": ([("Jeon Kyung-Min", ["Jeon Gyeong-min"])], [], None, None, []),
    # What cannot be read is said, not put into a field.
    "Translated by the staff of NKIDP.": ([], [], None, None, ["'the staff of NKIDP' in the credits does not look like a personal name"]),
    "Translated by Gary Goldberg. Reproduced with permission.":
        ([("Gary Goldberg", [])], [], None, None, ["cannot read the credit 'Reproduced with permission'"]),
}  # fmt: skip


@pytest.mark.parametrize("credit", list(CREDITS))
def test_credit_line(credit: str) -> None:
    translators, obtained_by, translated_for, source_language, notes = CREDITS[credit]
    parts = parse_citation(_CITED.format(credit))
    # The credits never leak into the archive's location.
    assert parts.archival_source == {"archive": "PRC FMA", "location": "109-00834-02, 1-5"}
    assert [(p["name"], p.get("variants", [])) for p in parts.translators] == translators
    assert [p["name"] for p in parts.obtained_by] == obtained_by
    assert (parts.translated_for, parts.source_language) == (translated_for, source_language)
    assert len(parts.notes) == len(notes), parts.notes
    for note, expected in zip(parts.notes, notes):
        assert expected in note


def test_credit_notes_are_located_and_only_where_a_credit_is_not_read() -> None:
    for path in sorted(RECORDS.glob("*.txt")):
        _, notes = load_with_notes(path.read_text(encoding="utf-8"), path.name)
        expected = {
            "11_obtained_and_contributed.txt": "11_obtained_and_contributed.txt:7: citation: Balázs Szalontai is credited as a contributor",
            "12_translated_from_edited_by.txt": "12_translated_from_edited_by.txt:7: citation: David Wolff is credited as an editor",
            "13_contributed_translator_variant.txt": "13_contributed_translator_variant.txt:7: citation: Sergey Radchenko is credited as a contributor",
        }.get(path.name)
        if expected is None:
            assert notes == []
        else:
            assert len(notes) == 1 and notes[0].startswith(expected), notes
    assert load_with_notes(SEED_TEXT, "seed.txt")[1] == []


def test_credited_language_that_disagrees_with_the_section_is_a_note() -> None:
    text = (RECORDS / "11_obtained_and_contributed.txt").read_text(encoding="utf-8")
    text = text.replace("Obtained and contributed by", "Translated from the Korean by Ann Lee. Obtained and contributed by")
    [doc], notes = load_with_notes(text, "x.txt")
    assert doc.original_language is not None and doc.original_language.code == "zh"
    assert doc.translation is not None
    assert [p.name for p in doc.translation.translators] == ["Ann Lee", "Kim Min-ji"]
    assert any("translated from 'Korean', but the 'Original Language:' section says 'Chinese'" in n for n in notes)


def test_elision_before_a_page_marker_is_no_text(seed_document: Document) -> None:
    """'[...]' then '[21-22]' opens an excerpt in the layout: it is not the end of the excerpt before."""
    for doc in (seed_document, load((RECORDS / "11_obtained_and_contributed.txt").read_text(encoding="utf-8"))):
        for excerpt in doc.excerpts:
            assert not excerpt.text.endswith("[...]"), (doc.id, excerpt.id)
    # Without page markers the elisions separate the excerpts, as before.
    doc = load((RECORDS / "07_no_page_markers_labels.txt").read_text(encoding="utf-8"))
    assert [e.id for e in doc.excerpts] == ["e1", "e2"] and not any("[...]" in e.text for e in doc.excerpts)

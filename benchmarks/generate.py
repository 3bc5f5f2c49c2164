"""Deterministic generator of archival documents and their record texts, for the benchmark.

``generate(n, seed)`` returns ``n`` varied :class:`archcite.models.Document` objects
(``generate_iter(n, seed)``, the same ones lazily);
``record_text(document)`` prints one as a Wilson Center Digital Archive plain-text record
(the layout ``archcite.formats.record_text`` reads), so that importing the text gives the
same document back.

Each document draws from its own ``random.Random(f"{seed}:{index}")``: the first 1,000
documents are the same whether 1,000 or 100,000 are generated, on any machine.

What varies: dates (exact, year-month, year only, circa, ranges), translators (none to three,
with "obtained by" and "translated for" credits), original publications (Cyrillic, Hangul,
Chinese and transliterated titles, with and without authors, translated titles, publishers
and pages) or archive files with locations (fond/opis/delo, box/folder, ministry file
numbers) or neither, funders, original languages, and 1-5 excerpts per document: page
markers or elision-separated parts, headnotes with dates, descriptions and named speakers,
conversations whose speakers have Latin names with diacritics, Cyrillic names and
Hangul variants, translator's notes, and elisions.

Only what the record-text importer reads back is generated: an archive's place and
collection, a person's explicit family/given split and a document's genre never appear,
because the record layout has no place for them.

Run it to see a sample: ``python benchmarks/generate.py 3``.
"""

from __future__ import annotations

import calendar
import random
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archcite.models import Document, FuzzyDate  # noqa: E402

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip

# --- pools -------------------------------------------------------------------------
# Speakers: (name, variant or None).  Names are 2-5 capitalized words (the importer's
# speaker rule); variants may be in any script.
SPEAKERS: list[tuple[str, str | None]] = [
    ("Kim Il Sung", "김일성"), ("N. S. Khrushchev", None), ("A. M. Puzanov", None),
    ("Pak Seong-cheol", "Pak Song Chol"), ("L. I. Brezhnev", None), ("Zhou Enlai", "周恩来"),
    ("Qiao Xiaoguang", None), ("Ri Man-seok", None), ("Ödön Kovács", None),
    ("Ch'oe Yong-gŏn", "최용건"), ("Ștefan Voitec", None), ("Kim Gwang-hyeop", "Kim Kwang Hyop"),
    ("Ri Ju-yeon", "Ri Ju Yon"), ("A. I. Mikoyan", None), ("Lê Duẩn", None),
    ("Nguyễn Văn Đồng", None), ("Никита Хрущёв", None), ("Андрей Громыко", None),
    ("Nam Il", "남일"), ("Kim Chaek", None), ("Mao Zedong", "毛泽东"), ("Deng Xiaoping", None),
    ("János Kádár", None), ("Władysław Gomułka", None), ("Erich Honecker", None),
    ("Nicolae Ceaușescu", None), ("Gustáv Husák", None), ("Todor Zhivkov", None),
    ("Yumjaagiin Tsedenbal", None), ("Pak Hon-yong", "박헌영"), ("Heo Dam", "허담"),
    ("V. V. Kuznetsov", None), ("Ho Chi Minh", "Hồ Chí Minh"), ("Kang Ryang-uk", None),
    ("Choe Hyeon", "최현"), ("Kim Yong-ju", "Kim Yong Joo"), ("Sergei Lapin", "Сергей Лапин"),
]  # fmt: skip

TRANSLATORS = [
    "Gary Goldberg", "Stephen Mercado", "Balázs Szalontai", "Eliza Gheorghe", "Seo Jae-won",
    "Екатерина Соколова", "Lin Yafeng", "Hannah Ko", "Jérôme Lefèvre", "Karin Lutz",
    "Ștefan Popescu", "Nguyễn Thị Hà", "James F. Person", "Sergey Radchenko", "Grace Leonard",
    "Zhang Qian", "Charles Kraus", "Jakub Poprocki", "Věra Nováková", "Łukasz Wiśniewski",
    "Daniel Kessler", "Anna Petrova", "Kim Dong-gil", "Ýmir Þórðarson", "Søren Ærø",
    "Ольга Васильева", "Mihaela Ștefănescu", "Kathryn Weathersby", "Dóra Mészáros",
]  # fmt: skip
OBTAINERS = ["Natalia Orlova", "Jonas Weber", "Petra Lang", "Christian Ostermann", "Bernd Schäfer", "Sergey Radchenko"]
PROJECTS = ["NKIDP", "CWIHP", "NPIHP"]

LANGUAGES = [
    "Russian", "Russian", "Russian", "Chinese", "Chinese", "Korean", "Hungarian", "Romanian",
    "German", "Polish", "Czech", "Vietnamese", "Bulgarian", "Mongolian", "Albanian",
]  # fmt: skip

FUNDERS = [
    "Leon Levy Foundation", "Korea Foundation", "MacArthur Foundation", "Henry Luce Foundation",
    "Carnegie Corporation of New York", "Ministry of Unification of the Republic of Korea", "ChinaUS Focus",
]  # fmt: skip

REPOSITORY_NAMES = ["Wilson Center Digital Archive", "History and Public Policy Program Digital Archive"]

# Archives: (name, [location generators]); the location's first field holds a digit or a
# word such as fond/box, as the importer expects.
ARCHIVES: list[tuple[str, str]] = [
    ("Archive of Foreign Policy of the Russian Federation (AVPRF)", "fond 0102, opis {a}, delo {b}, papka {c}, listy {p}"),
    ("AVPRF", "fond 0102, opis {a}, delo {b}, papka {c}, listy {p}"),
    ("RGANI", "fond 5, opis {a}, delo {b}, listy {p}"),
    ("Russian State Archive of Contemporary History (RGANI)", "fond 5, opis {a}, delo {b}, listy {p}"),
    ("PRC FMA", "{a}-{b:05d}-0{c}"),
    ("Archive of the Ministry of Foreign Affairs of Hungary (MOL)", "XIX-J-1-j Korea, 19{a}, {c}. doboz, {b}-1, 00{b}/19{a}"),
    ("Archive of the Romanian Ministry of Foreign Affairs", "Folder 19{a}/Coreea, Issue {b}, Year 19{a}"),
    ("Political Archive of the Federal Foreign Office (PA AA)", "MfAA C {b}/{a}"),
    ("Bundesarchiv, Stiftung Archiv der Parteien und Massenorganisationen der DDR (SAPMO-BArch)", "DY 30/IV 2/20/{b}"),
    ("Polish Foreign Ministry Archive", "box {c}, folder {a}, wiązka {b}"),
    ("National Archives of the Czech Republic (Národní archiv)", "KSČ-ÚV-02/1, sv. {a}, ar. j. {b}"),
    ("Central State Archive, Sofia", "fond 1-B, opis {a}, a.e. {b}"),
    ("Archives Nationales du Viêt Nam", "box {c}, file {b}"),
]  # fmt: skip

# Original publications: (authors, title, translated title or None, place, publisher or None).
PUBLICATIONS: list[tuple[list[str], str, str | None, str, str | None]] = [
    (["V. P. Tkachenko"], "Koreiskii Poluostrov i interesi Rossii", "The Korean Peninsula and Russia's Interests", "Moscow", "Vostochnaya Literatura"),
    (["И. С. Кравцова"], "Советско-корейские переговоры", "Soviet-Korean Negotiations", "Москва", "Наука"),
    (["박명림"], "한국전쟁의 발발과 기원", "The Outbreak and Origins of the Korean War", "서울", "나남출판"),
    (["沈志华"], "毛泽东、斯大林与朝鲜战争", "Mao, Stalin and the Korean War", "广州", "广东人民出版社"),
    (["Shen Zhihua", "Xia Yafeng"], "Zhongguo yu Chaoxian", None, "Beijing", "Renmin chubanshe"),
    ([], "Sbornik dokumentov po istorii sovetsko-koreiskikh otnoshenii", "Collection of Documents on Soviet-Korean Relations", "Moscow", None),
    (["A. V. Torkunov", "E. P. Ufimtsev"], "Koreiskaya problema", "The Korean Problem", "Moscow", "Mezhdunarodnye otnosheniya"),
    (["Ödön Kovács"], "Koreai jelentések", "Reports from Korea", "Budapest", "Kossuth"),
    (["Radu Ioanid"], "Relații româno-coreene", None, "București", "Editura Politică"),
    (["Нгуен Ван Лам"], "Việt Nam và Triều Tiên", "Vietnam and Korea", "Hà Nội", "Nhà xuất bản Chính trị"),
    ([], "Dokumenty vneshnei politiki SSSR", "Documents of the Foreign Policy of the USSR", "Moscow", "Politizdat"),
]  # fmt: skip

TOPICS = [
    "the Draft Treaty", "the Situation in South Korea", "Economic Aid", "the Sino-Soviet Split",
    "the Armistice Talks", "the Pueblo Incident", "Deliveries of Oil", "the Six-Year Plan",
    "the Reunification of Korea", "the Korean Students in Budapest", "Japan's Remilitarization",
    "the Visit of a Chinese Delegation", "the North-South Talks", "the Withdrawal of American Troops",
    "Ch'oe Yong-gŏn's Visit to Moscow", "the Reconstruction of Pyongyang", "Kim Il Sung's Health",
    "the Meeting of Communist Parties", "Grain Shortages in Hamgyeong Province", "the Nuclear Research Centre at Yongbyon",
    "Trade with Romania", "Soviet Military Advisers", "the Hungarian Events", "Vietnam", "Łódź Textile Deliveries",
]  # fmt: skip
SENDERS = [
    "the Chinese Embassy in Pyongyang", "the Soviet Embassy in the DPRK", "the Hungarian Embassy in the DPRK",
    "the Romanian Embassy in Pyongyang", "the GDR Embassy in Pyongyang", "the Polish Embassy in Pyongyang",
    "the Czechoslovak Embassy in Pyongyang", "the Bulgarian Embassy in Pyongyang", "the Mongolian Embassy in Pyongyang",
    "the Vietnamese Embassy in Beijing",
]  # fmt: skip
KINDS = ["Cable", "Telegram", "Report", "Memorandum", "Information", "Note", "Letter", "Journal"]

# Headnote descriptions: lower-case words, no digits, never a bare name.
DESCRIPTIONS = [
    "Record of a conversation at the embassy", "Materials from conversations with a delegation",
    "From the author's archive", "Text of a note to the Foreign Ministry", "Notes of a conversation on the treaty",
    "Excerpt from the ambassador's diary", "Report on the talks in the capital", "Information for the Central Committee",
    "From the draft notes of a conversation", "Minutes of the meeting of the delegations", "Telegram to the ministry",
    "Summary of the discussion on trade", "Conversation at the reception for the anniversary",
]  # fmt: skip

# Sentences of the body.  None opens with 2-5 capitalized words and a period, so none is read as a speaker.
SENTENCES = [
    "We would like to consult about the advisability of reducing our army.",
    "The situation is such that the southern army is now much larger than ours.",
    "We agree with the Korean comrades that militarism has revived in Japan.",
    "The oil you ask for can be delivered, but not the rolling mill this year.",
    "This question must be discussed in the Central Committee before we can answer.",
    "The treaty plays an important role in the maintenance of peace on the peninsula.",
    "We ask that the mill be delivered in the first quarter of next year.",
    "Our people are grateful for the help of the fraternal countries.",
    "The talks have come to a halt because the other side wants only to talk, not to act.",
    "In a number of counties the peasants have run out of grain.",
    "We will think a little, consult with the comrades, and decide.",
    "It cannot be excluded that this step might not yield the expected effect.",
    "The delegation was received only by the vice-chairman of the assembly.",
    "The press gave the visit two short notices on its inside pages.",
    "We do not expect anything from them before the autumn.",
    "As regards the question of credits, we will look at it again in the autumn.",
    "The government intends, as a tactical step, to announce its readiness to talk.",
    "Right now the youth are burning with a desire to rise to the struggle.",
    "A war in the region would not remain a local war for long.",
    "Their views were reported to the capital at once.",
    "The word used was sderzhivat' [сдерживать], which can also mean \"to stand up to\".",
    "The delegation brought a letter signed «Правда» and a gift for the chairman.",
    "The Korean term was 자주 [self-reliance], which the interpreter rendered freely.",
    "We remember this, and the text of the treaty should not be weaker than the other one.",
    "Preparations for the congress are underway right now, and much time is needed.",
    "What are you saying! Our next question is to ask you to set the date of your arrival.",
    "If such a treaty is signed then this will become a very great inspiring force for our people.",
    "Of course, this issue will not arise after reunification.",
]  # fmt: skip
NOTES = [
    "[Translator's note: the phrase Mao used in 1949 for siding with the Soviet Union.]",
    "[Translator's note: the tax in kind (prodnalog) was paid in grain.]",
    "[Translator's note: the first page of the report is missing in the file.]",
    "[Translator's note: a word is illegible in the original.]",
]  # fmt: skip


# --- dates, as records print them ------------------------------------------------


def _date_point(rng: random.Random, year: int, precision: str) -> dict[str, Any]:
    point: dict[str, Any] = {"year": year}
    if precision in ("month", "day"):
        point["month"] = rng.randint(1, 12)
    if precision == "day":
        point["day"] = rng.randint(1, calendar.monthrange(year, point["month"])[1])
    return point


def random_date(rng: random.Random) -> FuzzyDate:
    """Exact 45%, year-month 18%, year 10%, circa 10%, ranges 17%."""
    year = rng.randint(1945, 1991)
    roll = rng.random()
    if roll < 0.45:
        data = _date_point(rng, year, "day")
    elif roll < 0.63:
        data = _date_point(rng, year, "month")
    elif roll < 0.73:
        data = _date_point(rng, year, "year")
    elif roll < 0.83:
        data = _date_point(rng, year, rng.choice(["year", "year", "month"]))
        data["approximate"] = True
    else:
        precision = rng.choice(["year", "month", "day"])
        data = _date_point(rng, year, precision)
        end = _date_point(rng, year + rng.randint(0, 2), precision)
        if tuple(end.values()) <= tuple(data.values()):
            end = _date_point(rng, year + 1, precision)
        data["end"] = end
    return FuzzyDate.model_validate(data)


def _spoken_point(date: FuzzyDate, day_first: bool) -> str:
    if date.day is not None and date.month is not None:
        month = MONTH_NAMES[date.month - 1]
        return f"{date.day} {month} {date.year}" if day_first else f"{month} {date.day:02d}, {date.year}"
    if date.month is not None:
        return f"{MONTH_NAMES[date.month - 1]} {date.year}" if day_first else f"{MONTH_NAMES[date.month - 1]}, {date.year}"
    return str(date.year)


def spoken_date(date: FuzzyDate, day_first: bool = False, circa: str = "c. ") -> str:
    """'June 17, 1960' (the archive's date line) or '17 June 1960' (headnotes); ranges with an en dash."""
    text = (circa if date.approximate else "") + _spoken_point(date, day_first)
    if date.end is not None:
        text += " – " + _spoken_point(date.end, day_first)
    return text


# --- documents ---------------------------------------------------------------------


def _credit_sentence(rng: random.Random, translators: list[str], obtained: list[str], project: str | None) -> str:
    names = _and(translators)
    if obtained and obtained == translators:
        return f"Obtained and translated by {names}."
    if obtained:
        middle = f"for {project} " if project else ""
        return f"Obtained by {_and(obtained)} and translated {middle}by {names}."
    if project:
        return rng.choice([f"Translated for {project} by {names}.", f"Translated by {names} for {project}."])
    return rng.choice([f"Translated by {names}.", f"Translated by {names}.", f"Translation by {names}."])


def _and(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _sentences(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(low, high)))


def _excerpts(rng: random.Random, cast: list[tuple[str, str | None]], paged: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Excerpts as the importer reads them, and the document's people in order of first appearance."""
    people: list[dict[str, Any]] = []
    seen: dict[str, int] = {}

    def mention(name: str, variant: str | None) -> str:
        """A speaker's name as printed: with its variant the first time."""
        if name in seen:
            return name
        seen[name] = len(people)
        people.append({"name": name, "variants": [variant] if variant else []})
        return f"{name} [{variant}]" if variant and rng.random() < 0.5 else f"{name} ({variant})" if variant else name

    excerpts: list[dict[str, Any]] = []
    page = rng.randint(1, 300)
    previous_date: FuzzyDate | None = None
    for number in range(1, rng.choice([1, 2, 2, 3, 3, 4, 5]) + 1):
        if paged:
            page += rng.randint(0, 6) + (1 if number > 1 else 0)
            last = page + rng.choice([0, 0, 1, 1, 2])
            pages = f"{page}-{last}" if last > page else str(page)
            page = last
            excerpt_id = f"p{pages}"
        else:
            pages, excerpt_id = None, f"e{number}"
        speakers: list[str] = []
        headnote: str | None = None
        description: str | None = None
        date: FuzzyDate | None = None
        paragraphs: list[str] = []
        if rng.random() < 0.7:
            parts: list[str] = []
            if rng.random() < 0.85:
                date = random_date(rng)
                parts.append(spoken_date(date, day_first=True, circa=rng.choice(["c. ", "circa ", "ca. "])))
            # A headnote of digits only ("[1954]") would be a page marker.
            if rng.random() < 0.7 or not parts or not re.search(r"[^\W\d_]", parts[0]):
                description = rng.choice(DESCRIPTIONS)
                parts.append(description)
            if rng.random() < 0.2:
                name, variant = rng.choice(cast)
                parts.append(mention(name, variant))
                speakers.append(name)
            headnote = ". ".join(parts)
        mode = rng.random()
        if mode < 0.55 and len(cast) >= 1:
            # A conversation: turns "Name. Text" (or "[Name] Text").
            turn_speakers = rng.sample(cast, min(len(cast), rng.choice([1, 2, 2, 3])))
            for turn in range(rng.randint(2, 5) if len(turn_speakers) > 1 else rng.randint(1, 2)):
                name, variant = turn_speakers[turn % len(turn_speakers)]
                shown = mention(name, variant)
                text = _sentences(rng, 1, 3)
                if rng.random() < 0.1:
                    text += " " + rng.choice(NOTES)
                paragraphs.append(f"[{shown}] {text}" if rng.random() < 0.15 else f"{shown}. {text}")
                if name not in speakers:
                    speakers.append(name)
        else:
            for _ in range(rng.randint(1, 3)):
                text = _sentences(rng, 2, 4)
                if rng.random() < 0.15:
                    text = rng.choice(NOTES) + " " + text
                paragraphs.append(text)
        if len(speakers) >= 2:
            title = "Conversation between " + (
                " and ".join(speakers) if len(speakers) == 2 else ", ".join(speakers[:-1]) + ", and " + speakers[-1]
            )
        elif description:
            text = re.sub(r"^(?:from|in)\s+(?:the\s+)?", "", description, flags=re.IGNORECASE).strip()
            title = text[:1].upper() + text[1:]
        elif speakers:
            title = f"Remarks by {speakers[0]}"
        elif pages:
            title = f"Excerpt, {'pages' if '-' in pages else 'page'} {pages}"
        else:
            title = f"Excerpt {number}"
        excerpt: dict[str, Any] = {"id": excerpt_id, "title": title, "pages": pages, "headnote": headnote}
        if date is not None:
            excerpt["date"] = date
        elif headnote is None and previous_date is not None:
            excerpt["date"], excerpt["date_inherited"] = previous_date, True
        previous_date = excerpt.get("date")
        excerpt["speakers"] = speakers
        excerpt["text"] = "\n\n".join(paragraphs)
        excerpts.append(excerpt)
    return people, excerpts


def make_document(index: int, seed: int = 1) -> Document:
    """The index-th document of the seeded sequence."""
    rng = random.Random(f"{seed}:{index}")
    number = 400000 + index
    date = random_date(rng)
    kind = rng.choice(KINDS)
    topic = rng.choice(TOPICS)
    title_form = rng.random()
    source_roll = rng.random()
    if title_form < 0.35:
        title = f"{kind} from {rng.choice(SENDERS)}, '{topic[:1].upper()}{topic[1:]}'"
    elif title_form < 0.6:
        a, b = rng.sample(SPEAKERS, 2)
        title = f"Record of a Conversation between {a[0]} and {b[0]}"
    elif title_form < 0.8:
        title = f"{kind} on {topic}, {spoken_date(date, day_first=True, circa='c. ')}"
    else:
        title = f"{kind} from {rng.choice(SENDERS)} on {topic}"
    title = title[:1].upper() + title[1:]
    data: dict[str, Any] = {"id": f"wcda-{number}", "title": title, "date": date}

    # Source: an original publication (35%), an archive file (50%) or neither.
    source_text = ""
    if source_roll < 0.35:
        authors, pub_title, translated, place, publisher = rng.choice(PUBLICATIONS)
        year = rng.randint(1990, 2015)
        pub: dict[str, Any] = {"title": pub_title, "place": place, "date": str(year)}
        if authors:
            pub["authors"] = [{"name": a} for a in authors]
        if translated and rng.random() < 0.8:
            pub["title_translated"] = translated
        if publisher and rng.random() < 0.85:
            pub["publisher"] = publisher
        if rng.random() < 0.6:
            first = rng.randint(10, 400)
            last = first + rng.randint(0, 12)
            pub["pages"] = f"{first}-{last}" if last > first else str(first)
        data["original_publication"] = pub
        source_text = ", ".join(authors)
        source_text = (source_text + ", " if source_text else "") + f"*{pub_title}*"
        if pub.get("title_translated"):
            source_text += f" [{pub['title_translated']}]"
        imprint = place + (rng.choice([", ", ": "]) + pub["publisher"] if pub.get("publisher") else "") + f", {year}"
        source_text += f" ({imprint})"
        if pub.get("pages"):
            source_text += ", " + pub["pages"].replace("-", "–")
    elif source_roll < 0.85:
        archive, location = rng.choice(ARCHIVES)
        location = location.format(a=rng.randint(10, 89), b=rng.randint(100, 9999), c=rng.randint(1, 99), p=f"{rng.randint(1, 90)}-{rng.randint(91, 200)}")
        data["archival_source"] = {"archive": archive, "location": location}
        source_text = f"{archive}, {location}"

    # Translation credits.
    translators = rng.sample(TRANSLATORS, rng.choice([0, 1, 1, 1, 1, 2, 2, 3]))
    obtained: list[str] = []
    if translators and rng.random() < 0.25:
        obtained = list(translators) if rng.random() < 0.4 else rng.sample(OBTAINERS, rng.choice([1, 1, 2]))
    project = rng.choice(PROJECTS) if translators and rng.random() < 0.4 and obtained != translators else None
    credit_sentence = _credit_sentence(rng, translators, obtained, project) if translators else ""
    has_contents = _layout(data["id"])["contents"]
    if translators or has_contents:
        data["translation"] = {
            "language": "en",
            "translators": [{"name": t} for t in translators],
            "obtained_by": [{"name": o} for o in obtained],
            "translated_for": project,
        }

    repository = rng.choice(REPOSITORY_NAMES)
    url = f"https://digitalarchive.wilsoncenter.org/document/{number}"
    data["repository"] = {"name": repository, "url": url, "identifier": str(number)}
    citation = f'"{title}", {spoken_date(date)}, {repository}'
    if source_text:
        citation += f", {source_text}"
    citation += "."
    if credit_sentence:
        citation += " " + credit_sentence
    url_form = rng.random()
    citation += f" <{url}>" if url_form < 0.6 else f" {url}" if url_form < 0.85 else f" {url.removeprefix('https://')}"
    data["citation"] = citation

    if rng.random() < 0.9:
        data["summary"] = f"{rng.choice(SENDERS)[:1].upper()}{rng.choice(SENDERS)[1:]} reports on {topic}. " + _sentences(rng, 1, 2)
    if rng.random() < 0.8:
        funders = rng.sample(FUNDERS, rng.choice([1, 1, 1, 2]))
        credit = "This document was made possible with support from " + " and ".join(
            ("the " if rng.random() < 0.5 else "") + f for f in funders
        )
        if rng.random() < 0.5:
            credit += "."
        data["funding"] = {"funders": funders, "credit": credit}
    if rng.random() < 0.9:
        data["original_language"] = rng.choice(LANGUAGES)

    cast = rng.sample(SPEAKERS, rng.randint(1, 4))
    paged = rng.random() < 0.85
    data["people"], data["excerpts"] = _excerpts(rng, cast, paged)
    return Document.model_validate(data)


def _layout(record_id: str) -> dict[str, bool]:
    """Which optional 'Contents:' lines a record text prints, fixed by its id."""
    h = zlib.crc32(record_id.encode())
    return {"contents": h % 7 != 0, "scan": h % 5 < 2}


def generate(n: int, seed: int = 1, start: int = 0) -> list[Document]:
    return list(generate_iter(n, seed, start))


def generate_iter(n: int, seed: int = 1, start: int = 0) -> Iterator[Document]:
    """``generate``'s documents one at a time, each made when asked for: a stream of
    any length holds one document at a time (what the memory test needs)."""
    return (make_document(i, seed) for i in range(start, start + n))


# --- the record text ---------------------------------------------------------------


def record_text(document: Document) -> str:
    """The document as a Wilson Center Digital Archive plain-text record."""
    layout = _layout(document.id)
    if document.translation is not None and not document.translation.translators:
        layout["contents"] = True  # else the translation would not be read back
    out: list[str] = []
    if document.date is not None:
        out.append(spoken_date(document.date))
    out.append(document.title)
    out += ["Citation:", document.citation or compose_citation(document)]
    if document.summary:
        out += ["Summary:", document.summary]
    if document.funding and document.funding.credit:
        out += ["Credits:", document.funding.credit]
    if document.original_language:
        out += ["Original Language:", document.original_language.name]
    if layout["contents"] and document.translation is not None:
        out += ["Contents:", f"Translation - {document.translation.language.name}" + ("\nOriginal Scan" if layout["scan"] else "")]
    paged = any(e.pages for e in document.excerpts)
    if paged and document.excerpts:
        out.append("[...]")
    for index, excerpt in enumerate(document.excerpts):
        # The seed prints "[...]" before every page marker; some records only before the
        # first.  The reader takes either as layout, not as the excerpt's text.
        if paged and index and len(document.excerpts[index - 1].text) % 2:
            out.append("[...]")
        if paged:
            out.append(f"[{excerpt.pages}]")
        elif index:
            out.append("[...]")
        if excerpt.headnote is not None:
            out.append(f"[{excerpt.headnote}]")
        if excerpt.text:
            out.append(excerpt.text)
    return "\n\n".join(out) + "\n"


def compose_citation(document: Document) -> str:
    """A citation line for a document that has none (records built by hand)."""
    parts = [f'"{document.title}"']
    if document.date:
        parts.append(spoken_date(document.date))
    if document.repository:
        parts.append(document.repository.name)
    pub, archive = document.original_publication, document.archival_source
    if pub is not None:
        text = ", ".join(a.name for a in pub.authors)
        text = (text + ", " if text else "") + f"*{pub.title}*"
        if pub.title_translated:
            text += f" [{pub.title_translated}]"
        imprint = ", ".join(x for x in (pub.place, pub.publisher, str(pub.date.year) if pub.date else None) if x)
        if imprint:
            text += f" ({imprint})"
        if pub.pages:
            text += f", {pub.pages}"
        parts.append(text)
    elif archive is not None:
        parts.append(", ".join(x for x in (archive.archive, archive.location) if x))
    line = ", ".join(parts) + "."
    t = document.translation
    if t is not None and t.translators:
        line += " " + _credit_sentence(random.Random(0), [p.name for p in t.translators], [p.name for p in t.obtained_by], t.translated_for)
    if document.repository and document.repository.url:
        line += f" <{document.repository.url}>"
    return line


def round_trip_differences(document: Document, imported: Document) -> list[str]:
    """Fields that differ between a generated document and its imported record text."""
    a, b = document.model_dump(), imported.model_dump()
    out = []
    for key in a:
        if a[key] != b.get(key):
            if key == "excerpts" and len(a[key]) == len(b[key]):
                for ea, eb in zip(a[key], b[key]):
                    for k in ea:
                        if ea[k] != eb[k]:
                            out.append(f"excerpts[{ea['id']}].{k}: {ea[k]!r} != {eb[k]!r}")
            else:
                out.append(f"{key}: {a[key]!r} != {b.get(key)!r}")
    return out


if __name__ == "__main__":
    from archcite.formats.record_text import load

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for doc in generate(count):
        text = record_text(doc)
        print(text)
        print("-" * 72)
        problems = round_trip_differences(doc, load(text))
        print("round trip:", "same document" if not problems else problems)
        print("=" * 72)

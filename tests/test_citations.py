"""Paste-ready citations: the issue's targets for the seed, golden files for every form and
markup, citeproc-js parity for archcite's styles, RTF that parses, and bad requests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from archcite import Document, FormatError, Item
from archcite.cite import cite, join_entries, locator_outside_pages
from archcite.forms import FORMS
from archcite.formats.csl_json import to_csl
from archcite.markup import MARKUPS
from archcite.models import Person
from archcite.render import style_names

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate  # noqa: E402
from test_render import compare_with_citeproc_js

GOLDEN = Path(__file__).resolve().parent / "golden" / "citations"

FULL_NOTE = (
    "“Excerpts from V.P. Tkachenko ‘The Korean Peninsula and Russia’s Interests,’” June 17, 1960, in V. P. Tkachenko, "
    "*Koreiskii Poluostrov i interesi Rossii* [The Korean Peninsula and Russia’s Interests] (Moscow: Vostochnaya "
    "Literatura, 2000), trans. Gary Goldberg for NKIDP, Wilson Center Digital Archive, "
    "https://digitalarchive.umd.edu/document/114978."
)
BIBLIOGRAPHY = (
    "“Excerpts from V.P. Tkachenko ‘The Korean Peninsula and Russia’s Interests.’” June 17, 1960. In V. P. Tkachenko, "
    "*Koreiskii Poluostrov i interesi Rossii* [The Korean Peninsula and Russia’s Interests]. Moscow: Vostochnaya "
    "Literatura, 2000. Translated by Gary Goldberg for NKIDP. Wilson Center Digital Archive. "
    "https://digitalarchive.umd.edu/document/114978."
)


def test_seed_chicago_targets(seed: Document) -> None:
    assert cite([Item(seed)], "chicago-note", "markdown") == [FULL_NOTE]
    assert cite([Item(seed)], "chicago-bibliography", "markdown") == [BIBLIOGRAPHY]


def test_seed_excerpt_note_names_the_conversation(seed: Document) -> None:
    excerpt = Item(seed, seed.excerpt("p19-20"))
    note = cite([excerpt], "chicago-note")[0]
    assert note.startswith("“Conversation between Kim Il Sung and N. S. Khrushchev,” June 17, 1960, in V. P. Tkachenko,")
    assert "(Moscow: Vostochnaya Literatura, 2000), 19–20, trans. Gary Goldberg for NKIDP" in note
    assert "(Moscow: Vostochnaya Literatura, 2000), 19, trans." in cite([excerpt], "chicago-note", locator="19")[0]
    assert cite([excerpt], "chicago-short-note") == ["“Conversation between Kim Il Sung and N. S. Khrushchev,” 19–20."]
    # An excerpt's bibliography entry is its document's.
    assert cite([excerpt], "chicago-bibliography") == cite([Item(seed)], "chicago-bibliography")


def test_seed_mla(seed: Document) -> None:
    entry = cite([Item(seed)], "mla", "markdown")[0]
    assert entry.startswith("“Excerpts from V.P. Tkachenko ‘The Korean Peninsula and Russia’s Interests.’” 17 June 1960. ")
    assert "*Wilson Center Digital Archive*, translated by Gary Goldberg for NKIDP, digitalarchive.umd.edu/document/114978." in entry
    assert "https://" not in entry
    assert cite([Item(seed)], "mla-in-text", locator="19") == ["(“Excerpts from V.P. Tkachenko” 19)"]
    assert cite([Item(seed, seed.excerpt("p21-22"))], "mla-in-text") == ["(“Excerpts from V.P. Tkachenko” 21–22)"]


def _golden_items(seed: Document) -> list[Item]:
    return [Item(seed)] + [Item(seed, e) for e in seed.excerpts]


@pytest.mark.parametrize("markup", MARKUPS)
@pytest.mark.parametrize("form", list(FORMS))
def test_golden_citations(seed: Document, form: str, markup: str, update_golden: bool) -> None:
    items = _golden_items(seed)
    lines = []
    for item in items:
        for locator in (None, "19") if FORMS[form].mode == "citation" else (None,):
            text = cite([item], form, markup, locator=locator)[0]
            lines.append(f"{item.id}{' locator 19' if locator else ''}\t{text}")
    actual = "\n".join(lines) + "\n"
    path = GOLDEN / f"{form}.{markup}.txt"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == actual


def test_sorted_bibliography_of_many_records(seed: Document) -> None:
    other = seed.model_copy(update={"id": "wcda-1", "title": "Aardvark Memorandum", "excerpts": [], "people": []})
    entries = cite([Item(seed), Item(other), Item(seed, seed.excerpts[0])], "chicago-bibliography")
    assert len(entries) == 2 and entries[0].startswith("“Aardvark Memorandum.”")


def test_seed_renders_as_in_citeproc_js(seed: Document) -> None:
    items = [to_csl(i) for i in _golden_items(seed)]
    assert compare_with_citeproc_js(items, style_names()) == []


def test_generated_records_render_as_in_citeproc_js() -> None:
    # Realistic generated records (the benchmark's generator: Latin, Cyrillic and Hangul
    # names, partial and approximate dates, publications and archive files), with excerpts,
    # entry order included: look-alike titles ("Excerpt, page 14" / "page 100", "Pyongyang
    # on ..." / "Pyongyang, ‘...’") sort as citeproc-js collates them (engine/collation.py).
    docs = generate(60, seed=7)
    items = [to_csl(Item(d)) for d in docs] + [to_csl(Item(d, e)) for d in docs for e in d.excerpts[:2]]
    assert compare_with_citeproc_js(items, style_names()) == []


def test_rtf_is_a_document_that_parses(seed: Document) -> None:
    import pypandoc

    rtf = join_entries(cite([Item(seed)], "chicago-bibliography", "rtf"), "rtf", "chicago-bibliography")
    assert rtf.startswith("{\\rtf1") and rtf.rstrip().endswith("}")
    html = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "rtf", "-t", "html", "--wrap=none"], input=rtf, capture_output=True, text=True, check=True
    ).stdout
    # The original title in italics, its bracketed translation roman.
    assert re.search(r"<em>Koreiskii Poluostrov i interesi Rossii ?</em> ?\[The Korean Peninsula", html), html
    assert "Russia’s Interests" in html


@pytest.mark.parametrize(
    ("form", "locator", "message"),
    [
        ("chicago-fullnote", None, "unknown citation form 'chicago-fullnote'"),
        ("chicago-bibliography", "19", r"^a locator goes with a note or an in-text citation, not with a Chicago bibliography entry \("),
        ("mla", "19", r"^a locator goes with a note or an in-text citation, not with an MLA 9 works-cited entry$"),
    ],
)
def test_bad_requests(seed: Document, form: str, locator: str | None, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        cite([Item(seed)], form, locator=locator)


def test_missing_date_is_a_clear_error(seed: Document) -> None:
    undated = seed.model_copy(update={"date": None, "excerpts": [], "people": []})
    with pytest.raises(FormatError, match="wcda-114978 has no date"):
        cite([Item(undated)], "chicago-note")


def test_items_of_the_wrong_kind_are_a_clear_type_error(seed: Document) -> None:
    """A Document, one Item or a selector where the list of Items goes failed deep inside
    ("'Document' object has no attribute 'document'", "'Item' object is not iterable")."""
    from archcite import to_csl_json

    cases = [
        ([seed], "but item 1 is a Document"),
        (Item(seed), "not an Item"),
        (seed, "not a Document"),
        ("wcda-114978", "not a str"),
        ([Item(seed), "wcda-114978:p19-20"], "but item 2 is a str"),
    ]
    for function in (cite, to_csl_json):
        for items, message in cases:
            with pytest.raises(TypeError, match=rf"^{function.__name__}\(\) takes a list of archcite.Item, {message}; make an Item"):
                function(items)  # type: ignore[arg-type]


def test_an_item_refuses_an_excerpt_of_another_document(seed: Document) -> None:
    other = seed.model_copy(update={"id": "wcda-2", "excerpts": seed.excerpts[1:]})
    excerpt = seed.excerpt("p19-20")
    with pytest.raises(ValueError, match=r"^excerpt 'p19-20' is not one of document 'wcda-2''s excerpts; take it from that"):
        Item(other, excerpt)
    # An equal copy is the same excerpt (a document copied whole, or read again).
    assert Item(seed.model_copy(deep=True), excerpt).id == "wcda-114978:p19-20"
    assert Item(other, other.excerpt("p21-22")).id == "wcda-2:p21-22"


def test_missing_optional_parts_leave_no_empty_punctuation() -> None:
    bare = Document(id="bare", title="A Bare Record", date="1955~")
    for form in FORMS:
        for text in cite([Item(bare)], form):
            assert ", ," not in text and ". ." not in text and "None" not in text and "()" not in text
    assert cite([Item(bare)], "chicago-note") == ["“A Bare Record,” ca. 1955."]
    # In a bibliography entry the date opens a sentence, after ". ": "Ca." (in the note, after ", ", "ca.").
    assert cite([Item(bare)], "chicago-bibliography") == ["“A Bare Record.” Ca. 1955."]
    exact = Document(id="bare", title="A Bare Record", date="1955")
    assert cite([Item(exact)], "chicago-bibliography") == ["“A Bare Record.” 1955."]


def test_short_forms_never_end_inside_a_parenthesis(seed: Document) -> None:
    # A new user's record: the quotation that used to end the short title sits inside the
    # parenthetical, and the short note ended on "(Władysław Gomułka on."
    title = 'Minutes of the Meeting of the Politburo of the PUWP (Władysław Gomułka on "the Hungarian Events")'
    minutes = seed.model_copy(update={"id": "wcda-1", "title": title, "excerpts": [], "people": []})
    assert cite([Item(minutes)], "chicago-short-note", locator="3") == [
        "“Minutes of the Meeting of the Politburo of the PUWP,” 3."
    ]
    assert cite([Item(minutes)], "mla-in-text", locator="3") == ["(“Minutes of the Meeting of the Politburo of the PUWP” 3)"]


def _translated_by(seed: Document, *names: str) -> Document:
    assert seed.translation is not None
    translation = seed.translation.model_copy(update={"translators": [Person(name=n) for n in names]})
    return seed.model_copy(update={"id": "wcda-2", "excerpts": [], "people": [], "translation": translation})


def test_mla_names_three_or_more_translators_as_the_first_and_et_al(seed: Document) -> None:
    three = _translated_by(seed, "Anna Beth Keim", "Charles Kraus", "Zhang Qian")
    entry = cite([Item(three)], "mla")[0]
    assert "translated by Anna Beth Keim et al. for NKIDP," in entry
    assert "Charles Kraus" not in entry and "Zhang Qian" not in entry
    # Two are both named, as before.
    two = _translated_by(seed, "Anna Beth Keim", "Charles Kraus")
    assert "translated by Anna Beth Keim and Charles Kraus for NKIDP," in cite([Item(two)], "mla")[0]
    # Chicago is left as it was: CMOS 14.76's et al. is a rule for authors.
    assert "trans. Anna Beth Keim, Charles Kraus, and Zhang Qian for NKIDP" in cite([Item(three)], "chicago-note")[0]
    assert "Translated by Anna Beth Keim, Charles Kraus, and Zhang Qian for NKIDP." in cite([Item(three)], "chicago-bibliography")[0]


def test_three_translators_render_as_in_citeproc_js(seed: Document) -> None:
    three = _translated_by(seed, "Anna Beth Keim", "Charles Kraus", "Zhang Qian")
    assert compare_with_citeproc_js([to_csl(Item(three))], style_names()) == []


@pytest.mark.parametrize(
    ("locator", "pages", "outside"),
    [
        ("19", "19-20", False), ("20", "19–20", False), ("19-20", "19-20", False), ("19, 20", "19-20", False),
        ("25", "19-20, 25", False), ("18", "19-20", True), ("21", "19-20", True), ("19-21", "19-20", True),
        ("19, 99", "19-20", True), ("xii", "19-20", False), ("19", "xii", False), ("19f", "19-20", False), ("", "19", False),
        ("112", "110-15", False), ("116", "110-15", True), ("112", "110-5", False), ("116", "110-5", True), ("22", "25-20", False),
    ],
)  # fmt: skip
def test_locator_outside_pages(locator: str, pages: str, outside: bool) -> None:
    assert locator_outside_pages(locator, pages) is outside

"""archcite's corrections to citeproc-py, one test (or a few) per named step.

The CSL test suite (tests/test_csl_suite.py) checks the whole; these pin each step down on
its own, with the smallest style or string that shows it.
"""

from __future__ import annotations

from typing import Any

import pytest

from archcite.engine import numbers, richtext
from archcite.engine.disambiguation import suffix_letters
from archcite.engine.names import initialize, parts, script_order
from archcite.engine.positions import Tracker
from archcite.engine.richtext import INNER_QUOTE, ITALIC, NOCASE, QUOTE, SEAM, Quotes
from archcite.engine.textcase import text_case
from archcite.markup import convert
from archcite.render import clean_date, note_variables, render

I, Q, QI, N = ITALIC, QUOTE, INNER_QUOTE, NOCASE


def style(citation: str, bibliography: str = "", attributes: str = "", options: str = "", locale: str = "") -> str:
    """A minimal CSL style around a citation layout (and a bibliography layout)."""
    bib = f"<bibliography{' ' + options if options else ''}><layout>{bibliography}</layout></bibliography>" if bibliography else ""
    return (
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"'
        f' {attributes}><info><id/><title/><updated>2024-01-01T00:00:00+00:00</updated></info>{locale}'
        f"<citation{' ' + options if options and not bib else ''}><layout>{citation}</layout></citation>{bib}</style>"
    )


def cite(layout: str, items: list[dict[str, Any]], clusters: Any = None, **kwargs: Any) -> list[str]:
    return render(style(layout, **kwargs), items, clusters, mode="citation")


BOOK = {"id": "a", "type": "book", "title": "War", "author": [{"family": "Tolstoy", "given": "Leo"}]}


# --- richtext: markup in data -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("One <i>Two</i>", f"One {I[0]}Two{I[1]}"),
        ("One TwoF</i> Three", "One TwoF</i> Three"),  # unbalanced: stays text
        ('a "quoted" word', f"a {Q[0]}quoted{Q[1]} word"),
        ("a 'quoted' word", f"a {Q[0]}quoted{Q[1]} word"),  # the first straight form is the outer one
        ("“outer ‘inner’”", f"{Q[0]}outer {QI[0]}inner{QI[1]}{Q[1]}"),
        ("Russia's and the Smiths' house (ETFA '09)", "Russia’s and the Smiths’ house (ETFA ’09)"),
        ('Nation of "Positive Obligations " of State', 'Nation of "Positive Obligations " of State'),
        ('<span class="nocase">l\'\'\'</span>', f"{N[0]}l’’’{N[1]}"),
        ('<span class="nocase">a \'b</span>', f"{N[0]}a 'b{N[1]}"),  # a quote the span's end skipped
        ('<span class="nodecor">v.</span>', f"{richtext.NODECOR[0]}v.{richtext.NODECOR[1]}"),
    ],
)
def test_parse_markup(text: str, marked: str) -> None:
    assert richtext.parse_markup(text) == marked


def test_unparse_shows_a_field_verbatim() -> None:
    assert richtext.unparse(richtext.parse_markup("1<sup>er</sup>")) == "1<sup>er</sup>"


# --- richtext: the final pass -----------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "survivor"),
    [(".", ".", "left"), ("?", ".", "left"), (";", ":", "left"), (":", "!", "right"), (".", ";", "both"), (",", ".", "both")],
)
def test_merge_punctuation(left: str, right: str, survivor: str) -> None:
    assert richtext.merge_punctuation(left, right) == survivor


def test_punctuation_merges_only_at_element_boundaries() -> None:
    assert richtext.finish(f"V. P.{SEAM}.") == "V. P."
    assert richtext.finish(f"Why?{SEAM}. Next") == "Why? Next"
    assert richtext.finish("Wait... yes") == "Wait... yes"  # inside one field: untouched
    assert richtext.finish(f"a {SEAM} b") == "a b"  # doubled spaces collapse


def test_punctuation_in_quote() -> None:
    assert richtext.finish(f"{Q[0]}Title{Q[1]}{SEAM}, 1960") == "“Title,” 1960"
    assert richtext.finish(f"{Q[0]}One {QI[0]}Two{QI[1]}{Q[1]}{SEAM}.") == "“One ‘Two.’”"
    assert richtext.finish(f"{Q[0]}Title{Q[1]}{SEAM}: x") == "“Title”: x"  # colons stay out
    assert richtext.finish(f"{Q[0]}Title{Q[1]}{SEAM}, 1960", Quotes(punctuation_inside=False)) == "“Title”, 1960"
    assert richtext.finish(f"{QI[0]}God willing{QI[1]}. Another") == "‘God willing’. Another"  # no boundary


def test_flip_flop_and_quote_levels() -> None:
    assert richtext.finish(f"{I[0]}One {I[0]}Two{I[1]} Three{I[1]}") == (
        '<i>One <span style="font-style:normal;">Two</span> Three</i>'
    )
    assert richtext.finish(f"{I[0]}Lessard {richtext.NODECOR[0]}v.{richtext.NODECOR[1]} Schmidt{I[1]}") == (
        '<i>Lessard <span style="font-style:normal;">v.</span> Schmidt</i>'
    )
    assert richtext.finish(f"{richtext.ROMAN[0]}plain{richtext.ROMAN[1]}") == "plain"  # normal outside italics
    assert richtext.finish(f"{Q[0]}My {Q[0]}Amazing{Q[1]} Title{Q[1]}") == "“My ‘Amazing’ Title”"
    assert richtext.finish(f"{QI[0]}single{QI[1]}") == "‘single’"
    french = Quotes("«\u00a0", "\u00a0»", "‹", "›", False)
    assert richtext.finish(f"{Q[0]}titre{Q[1]}", french) == "«\u00a0titre\u00a0»"


@pytest.mark.parametrize(
    "marked",
    [
        f"{Q[0]}One {Q[0]}Two {QI[0]}Three{QI[1]}{Q[1]}{Q[1]}{SEAM}, & <four>",  # levels alternate; escapes
        f"{QI[0]}a {Q[0]}b{QI[1]} c{Q[1]} d",  # a closer closes what opened inside it
        f"x{Q[1]} y {I[1]}{Q[0]}",  # closers with nothing open; an opener left open
        f"{richtext.LEFT_MARGIN[0]}[1]{richtext.LEFT_MARGIN[1]}{richtext.RIGHT_INLINE[0]}Text{richtext.RIGHT_INLINE[1]}",
        f"{I[0]}One {richtext.NODECOR[0]}{Q[0]}v.{Q[1]}{richtext.NODECOR[1]} {I[0]}Two{I[1]}{I[1]}",
        f"{Q[0]}{SEAM} {SEAM}{Q[1]}{SEAM}{QI[0]}{QI[1]}end ",  # empty pairs dropped, or kept around a space
        f"\ue012odd\ue02a markers{SEAM}ª",
    ],
)
@pytest.mark.parametrize("quotes", [Quotes(), Quotes("«\u00a0", "\u00a0»", "‹", "›", False)])
def test_text_is_the_html_converted(marked: str, quotes: Quotes) -> None:
    # finish_text stands in for finish + markup.convert(..., "text") (render's markup="text")
    assert richtext.finish_text(marked, quotes) == convert(richtext.finish(marked, quotes, superscripts=False), "text")


def test_quotes_holding_markup_go_through_html() -> None:
    assert not Quotes().hold_markup()
    assert Quotes("<<", ">>", "<", ">").hold_markup()
    assert Quotes("&", "&").hold_markup()


def test_escape() -> None:
    assert richtext.escape("A & B <x>") == "A &#38; B &#60;x&#62;"
    assert richtext.escape("x² ™ ˀ") == "x<sup>2</sup> <sup>TM</sup> <sup>ʔ</sup>"
    assert richtext.narrow_spaces("His « Anonymous » Life : A Study") == "His «\u202fAnonymous\u202f» Life\u202f: A Study"
    assert richtext.escape("sZдÛíª", superscripts=False) == "sZдÛíª"


# --- text-case --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("the physical\u00a0volcanology of a place for", "The Physical\u00a0Volcanology of a Place For"),
        ("out-of-fashion initiatives: a second story", "Out-of-Fashion Initiatives: A Second Story"),
        ("employee pro-environmental behavior", "Employee Pro-Environmental Behavior"),
        ("nobody knows you’re a dog", "Nobody Knows You’re a Dog"),
        ("john d’Doe! a life; iPad", "John d’Doe! A Life; iPad"),
        ("saline solution of β-carotine", "Saline Solution of β-Carotine"),
        (f"the {N[0]}mirror{N[1]}, the window", f"The {N[0]}mirror{N[1]}, the Window"),
    ],
)
def test_title_case(text: str, title: str) -> None:
    assert text_case(text, "title") == title


def test_other_text_cases() -> None:
    assert text_case("Review of book", "title", "de") == "Review of book"  # English only
    assert text_case(f"a {N[0]}Smith{N[1]} pen", "uppercase") == f"A {N[0]}Smith{N[1]} PEN"
    assert text_case("ic and ıd", "uppercase", "tr") == "İC AND ID"
    assert text_case("This IS a Pen", "sentence") == "This is a pen"
    assert text_case("this is a pen", "capitalize-first") == "This is a pen"
    assert text_case("this is cat/mouse", "capitalize-all") == "This Is Cat/Mouse"


# --- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "range_format", "printed"),
    [
        ("101-108", "chicago", "101–8"), ("321-325", "chicago", "321–25"), ("1496-504", "chicago", "1496–1504"),
        ("1496-1500", "chicago-16", "1496–500"), ("100-4", "chicago", "100–104"), ("1536-538", "minimal", "1536–8"),
        ("321-325", "minimal-two", "321–25"), ("110-5", "expanded", "110–115"), ("110-5", None, "110–5"),
        ("N110 - 5", "expanded", "N110-5"), ("n11564-n1568", "minimal", "n11564–8"), ("xxv-xxviii", "chicago", "xxv–xxviii"),
        ("12-14, 17 & 19-20", "expanded", "12–14, 17 & 19–20"), ("327\\-30", None, "327-30"),
        ("718-4", "chicago", "718–4"),
    ],
)  # fmt: skip
def test_page_ranges(value: str, range_format: str | None, printed: str) -> None:
    assert numbers.format_ranges(value, range_format) == printed


def test_numbers_plural_and_numeric() -> None:
    assert numbers.first_page("22-45") == "22"
    assert numbers.is_plural("427-430") and numbers.is_plural("213 et 235", "et")
    assert not numbers.is_plural("327\\-30") and not numbers.is_plural("2.0")
    assert numbers.is_numeric("2a") and numbers.is_numeric("2-4") and not numbers.is_numeric("second")


# --- positions --------------------------------------------------------------------------


class _Cite(dict):  # type: ignore[type-arg]
    def __init__(self, key: str, locator: str | None = None) -> None:
        super().__init__()
        object.__setattr__(self, "key", key)
        if locator:
            self["locator"] = type("Locator", (), {"label": "page", "identifier": locator})()

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def _positions(notes: list[tuple[int, list[_Cite]]]) -> list[str]:
    tracker = Tracker(near_note_distance=5)
    out = []
    for note, cites in notes:
        tracker.assign(cites, note)
        out += [cite["position_info"].position for cite in cites]
    return out


def test_ibid_needs_the_previous_note_to_hold_one_cite() -> None:
    a, b = "a", "b"
    assert _positions([(1, [_Cite(a)]), (1, [_Cite(b)]), (2, [_Cite(b)]), (3, [_Cite(b)])]) == [
        "first", "first", "subsequent", "ibid",
    ]  # fmt: skip
    assert _positions([(1, [_Cite(a)]), (2, [_Cite(a, "23")]), (3, [_Cite(a)])]) == ["first", "ibid-with-locator", "subsequent"]


def test_citations_in_the_text_are_their_own_sequence() -> None:
    assert _positions([(0, [_Cite("a")]), (1, [_Cite("b")]), (0, [_Cite("a")])]) == ["first", "first", "ibid"]


def test_near_note_and_first_note() -> None:
    tracker = Tracker(near_note_distance=1)
    first, near, far = _Cite("a"), _Cite("a"), _Cite("a")
    tracker.assign([first], 1)
    tracker.assign([near], 2)
    tracker.assign([far], 9)
    assert near["position_info"].near_note and not far["position_info"].near_note
    assert far["position_info"].first_note == 1


def test_render_tracks_positions_and_capitalizes_ibid_at_the_start_of_a_note() -> None:
    layout = '<choose><if position="ibid"><text term="ibid"/></if><else><text variable="title"/></else></choose>'
    assert cite(layout, [BOOK], [[{"id": "a"}], [{"id": "a"}]]) == ["War", "Ibid."]


# --- names ------------------------------------------------------------------------------


def test_name_particles_and_suffixes() -> None:
    assert parts({"family": "van der Vlist", "given": "Eric"})["non-dropping"] == "van der"
    assert parts({"family": "d'Aubignac", "given": "F."})["non-dropping"] == "d'"
    assert parts({"family": "Humboldt", "given": "Alexander von"})["dropping"] == "von"
    assert parts({"family": "Van Four", "given": "F."})["non-dropping"] == ""
    found = parts({"family": "Doe", "given": "John,! Jr."})
    assert (found["given"], found["suffix"], found["comma-suffix"]) == ("John", "Jr.", True)


@pytest.mark.parametrize(
    ("given", "mark", "words", "initials"),
    [
        ("John M.E.", ". ", True, "J. M. E."), ("John M.E.", " ", False, "John M E"), ("ME", ".", False, "ME"),
        ("Jean-Paul", ". ", True, "J.-P."), ("Guo-ping", "", True, "G"), ("TSerendorjiin", ".", True, "Ts."),
        ("J. B. de C. M.", ".", True, "J.B. de C.M."),
    ],
)  # fmt: skip
def test_initials(given: str, mark: str, words: bool, initials: str) -> None:
    assert initialize(given, mark, words) == initials


def test_script_order() -> None:
    assert script_order({"family": "我妻", "given": "栄"}) == 0
    assert script_order({"family": "毛泽东", "given": "Kim"}) == 1
    assert script_order({"family": "Doe", "given": "John"}) == 2
    assert script_order({"family": "Nguyễn", "given": "Văn"}, "vi") == 1
    assert script_order({"family": "Nguyễn", "given": "Văn"}, "vi-VN") == 2


def test_names_render_as_citeproc_js() -> None:
    names = '<names variable="author"><name and="text" initialize="false" initialize-with=". "/></names>'
    item = {"id": "x", "type": "book", "author": [{"family": "Doe", "given": "John,! Jr."}, {"family": "我妻", "given": "栄"}]}
    assert cite(names, [item]) == ["John Doe, Jr. and 我妻栄"]
    count = '<names variable="author editor"><name form="count"/></names>'
    two = [{"family": "A"}, {"family": "B"}]
    assert cite(count, [{"id": "x", "type": "book", "author": two, "editor": two + [{"family": "C"}]}]) == ["5"]


# --- dates ------------------------------------------------------------------------------


def test_clean_date() -> None:
    assert clean_date({"date-parts": [["2000", "", ""]]}) == {"date-parts": [[2000]]}
    assert clean_date({"raw": "1998-04-10/1998-05"}) == {"date-parts": [[1998, 4, 10], [1998, 5]]}
    assert clean_date({"date-parts": [[1999], [0]]}) == {"date-parts": [[1999], [0]]}  # an open range
    assert clean_date({"date-parts": [[]]}) is None


@pytest.mark.parametrize(
    ("date", "printed"),
    [
        ([[2000, 6, 5], [2000, 6, 7]], "June 5–7, 2000"), ([[2000, 5, 3], [2000, 6, 5]], "May 3–June 5, 2000"),
        ([[1999, 22], [1999, 21]], "Summer–Spring 1999"), ([[1987], [0]], "1987–"), ([[-44, 3, 15]], "March 15, 44 BC"),
    ],
)  # fmt: skip
def test_date_ranges_seasons_and_eras(date: list[list[int]], printed: str) -> None:
    item = {"id": "x", "type": "book", "issued": {"date-parts": date}}
    assert cite('<date variable="issued" form="text"/>', [item]) == [printed]


# --- groups, macros, substitution, labels -------------------------------------------------


def test_group_and_macro_vanish_when_their_variables_are_empty() -> None:
    item = {"id": "x", "type": "chapter", "title": "T"}
    layout = '<text variable="title"/><text macro="in" prefix=", "/><group prefix=" ("><text term="in"/><group><text variable="page"/></group></group>'
    macro = '<macro name="in"><text term="in" suffix=" "/><text variable="container-title"/></macro>'
    styled = style(layout).replace("<citation>", macro + "<citation>")
    assert render(styled, [item], mode="citation") == ["T"]


def test_substitute_suppresses_what_it_rendered() -> None:
    layout = '<group delimiter=". "><names variable="author"><substitute><text variable="title"/></substitute></names><text variable="title"/></group>'
    assert cite(layout, [{"id": "x", "type": "book", "title": "T"}]) == ["T"]


def test_label_plural_and_empty() -> None:
    layout = '<group delimiter=" "><label variable="locator"/><text variable="locator"/></group>'
    assert cite(layout, [BOOK], [[{"id": "a", "locator": "427-430", "label": "page"}]]) == ["pages 427–430"]
    assert cite(layout, [BOOK], [[{"id": "a", "locator": "327\\-30", "label": "page"}]]) == ["page 327-30"]
    assert cite('<label variable="page"/>', [BOOK]) == ["[CSL STYLE ERROR: reference with no printed form.]"]


def test_cite_prefix_with_punctuation_replaces_the_delimiter() -> None:
    items = [BOOK, {"id": "b", "type": "book", "title": "Peace"}]
    layout = '<text variable="title"/>'
    rendered = render(style(layout).replace("<layout>", '<layout delimiter="; ">'), items, [[{"id": "a"}, {"id": "b", "prefix": ", cited in "}]], mode="citation")
    assert rendered == ["War, cited in Peace"]


# --- disambiguation and collapsing ----------------------------------------------------------


def test_year_suffixes() -> None:
    assert [suffix_letters(i) for i in (0, 25, 26, 27)] == ["a", "z", "aa", "ab"]
    items = [{"id": i, "type": "book", "author": [{"family": "Doe"}], "issued": {"date-parts": [[2000]]}} for i in "xyz"]
    layout = '<group delimiter=" "><names variable="author"><name/></names><date variable="issued"><date-part name="year"/></date></group>'
    options = 'disambiguate-add-year-suffix="true" collapse="year-suffix"'
    styled = style(layout).replace("<citation>", f"<citation {options}>").replace("<layout>", '<layout delimiter="; ">')
    assert render(styled, items, [[{"id": "x"}, {"id": "y"}, {"id": "z"}]], mode="citation") == ["Doe 2000a; b; c"]


def test_disambiguate_condition() -> None:
    items = [{"id": i, "type": "book", "title": i.upper(), "author": [{"family": "Doe"}]} for i in "xy"]
    layout = '<names variable="author"/><choose><if disambiguate="true"><text variable="title" prefix=", "/></if></choose>'
    assert cite(layout, items, [[{"id": "x"}], [{"id": "y"}]]) == ["Doe, X", "Doe, Y"]
    assert cite(layout, items, [[{"id": "x"}]]) == ["Doe"]  # only cited items can be confused


def test_subsequent_author_substitute() -> None:
    items = [{"id": i, "type": "book", "title": i.upper(), "author": [{"family": "Doe"}]} for i in "xy"]
    bibliography = '<names variable="author"/><text variable="title" prefix=", "/>'
    styled = style('<text value="x"/>', bibliography, options='subsequent-author-substitute="———"')
    assert render(styled, items) == ["Doe, X", "———, Y"]


# --- the data -------------------------------------------------------------------------------


def test_note_variables() -> None:
    item = note_variables({"id": "x", "note": "reviewed-title: Decrease\ngenre: Peer commentary\nreviewed-author: Hall || W.C.\nkeep me"})
    assert item["reviewed-title"] == "Decrease" and item["genre"] == "Peer commentary"
    assert item["reviewed-author"] == [{"family": "Hall", "given": "W.C."}] and item["note"] == "keep me"


def test_quoted_family_name_is_not_parsed() -> None:
    item = {"id": "x", "type": "book", "author": [{"family": '"Van Dyke"', "given": "Dick"}, {"family": "van Dyke", "given": "Dick"}]}
    layout = '<names variable="author"><name name-as-sort-order="all" delimiter="; "/></names>'
    assert cite(layout, [item], attributes='demote-non-dropping-particle="display-and-sort"') == ["Van Dyke, Dick; Dyke, Dick van"]


# --- markup -----------------------------------------------------------------------------------


def test_markup_reads_citeproc_js_spans() -> None:
    html = '<b>Speak, <span style="font-weight:normal;">friend</span>.</b> <div class="csl-left-margin">[1]</div>A'
    assert convert(html, "text") == "Speak, friend. [1] A"
    assert convert(html, "markdown").startswith("**Speak,** friend**.**")
    assert r"{\b0 friend}" in convert(html, "rtf")


# --- later corrections -------------------------------------------------------------------------


def test_chinese_japanese_korean_text_stays_upright() -> None:
    assert richtext.finish(f"{I[0]}人民日报{I[1]}") == "人民日报"
    assert richtext.finish(f"{I[0]}人民日报 2000{I[1]}") == "<i>人民日报 2000</i>"
    assert richtext.finish(f"{I[0]}{I[0]}人民{I[1]} Kim{I[1]}") == '<i><span style="font-style:normal;">人民</span> Kim</i>'


def test_no_trailing_space_at_the_end() -> None:
    assert richtext.finish(f"(Series){SEAM}. ") == "(Series)."


def test_number_ranges_and_lone_separators() -> None:
    assert cite('<number variable="issue"/>', [{"id": "x", "type": "book", "issue": "3-4"}]) == ["3–4"]
    assert numbers.format_ranges("000000q&", "chicago") == "000000q&"


def test_second_field_align_puts_the_layout_affixes_in_the_columns() -> None:
    styled = style('<text value="x"/>', '<text variable="citation-number" suffix=". "/><text variable="title"/>')
    styled = styled.replace('<bibliography>', '<bibliography second-field-align="flush">').replace(
        "<layout><text variable=\"citation-number\"", '<layout suffix="."><text variable="citation-number"'
    )
    assert render(styled, [BOOK]) == ['<div class="csl-left-margin">1. </div><div class="csl-right-inline">War.</div>']


def test_a_one_word_prefix_is_no_sentence() -> None:
    layout = '<choose><if position="ibid"><text term="ibid"/></if><else><text variable="title"/></else></choose>'
    clusters = [[{"id": "a"}], [{"id": "a", "prefix": "Cf. "}], [{"id": "a", "prefix": "As said before. "}]]
    assert cite(layout, [BOOK], clusters) == ["War", "Cf. ibid.", "As said before. Ibid."]


def test_a_cite_suffix_ending_in_punctuation_replaces_the_delimiter() -> None:
    items = [BOOK, {"id": "b", "type": "book", "title": "Peace"}]
    styled = style('<text variable="title"/>').replace("<layout>", '<layout delimiter="; ">')
    clusters = [[{"id": "a", "suffix": " is one source,"}, {"id": "b"}]]
    assert render(styled, items, clusters, mode="citation") == ["War is one source, Peace"]


# --- what the speed-ups must not change ---------------------------------------------------


def test_render_leaves_the_cycle_collector_as_it_found_it() -> None:
    import gc

    assert gc.isenabled()
    render("chicago-notes-archival", [BOOK], markup="text")
    assert gc.isenabled()
    gc.disable()
    try:
        render("chicago-notes-archival", [BOOK], markup="text")
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(Exception):
        render("no-such-style", [BOOK])
    assert gc.isenabled()


def test_what_is_cached_on_a_style_follows_the_items() -> None:
    """Element caches hold what the style says, never an item's values: the same parsed
    style renders other items, and other styles in between, as a fresh one would."""
    other = {"id": "b", "type": "book", "title": "Peace", "author": [{"family": "Austen", "given": "Jane"}]}
    first = render("chicago-notes-archival", [BOOK, other], markup="text")
    mla = render("mla-archival", [other], markup="text")
    again = render("chicago-notes-archival", [other, BOOK], markup="text")
    assert first == again == ["Austen, Jane. Peace.", "Tolstoy, Leo. War."]
    assert mla == ["Austen, Jane. Peace."]


def test_citation_numbers_follow_the_bibliography_without_a_bibliography_call() -> None:
    """Citations skip the bibliography's sort unless they depend on its order, as numbers do."""
    numbered = (
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><id/><title/>'
        "<updated>2024-01-01T00:00:00+00:00</updated></info>"
        '<citation><layout><text variable="citation-number"/></layout></citation>'
        '<bibliography><sort><key variable="title"/></sort><layout><text variable="title"/></layout></bibliography></style>'
    )
    items = [{"id": "z", "type": "book", "title": "Zebra"}, {"id": "a", "type": "book", "title": "Apple"}]
    assert render(numbered, items, [[{"id": "z"}], [{"id": "a"}]], mode="citation", register_all=True, markup="text") == ["2", "1"]


def test_every_superscript_character_is_looked_up() -> None:
    """escape() looks only inside SUPERSCRIPT_CANDIDATES for characters to print as <sup>."""
    import sys
    import unicodedata

    missed = [
        f"U+{code:04X}"
        for code in range(0x80, sys.maxunicode + 1)
        if unicodedata.decomposition(chr(code)).startswith("<super> ") and not richtext.SUPERSCRIPT_CANDIDATES.match(chr(code))
    ]
    assert not missed
    assert richtext.escape("Mª ¹ x²") == "M<sup>a</sup> <sup>1</sup> x<sup>2</sup>"
    assert richtext.escape("Mª", superscripts=False) == "Mª"

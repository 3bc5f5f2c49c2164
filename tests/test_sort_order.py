"""Bibliography order as citeproc-js collates it (archcite/engine/collation.py): word by word
with punctuation ignored, case and diacritics ignored, numbers as numbers, family names
before given names, empty keys last, ties in input order."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from archcite.engine.collation import SEPARATOR, sort_key
from archcite.render import render
from citeproc_js import render_js
from test_render import compare_with_citeproc_js

JS = Path(__file__).resolve().parent / "js"


def ordered(*texts: str) -> list[str]:
    """``texts`` sorted by their sort keys (Python's sort is stable: ties keep this order)."""
    return sorted(texts, key=lambda t: sort_key(t) or "")


# --- the comparison ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected",
    [
        # A comma is ignored and a space is a word break: "Pyongyang," ends a word before
        # "Pyongyang on" does not.  (Code point order put the space first.)
        ["Cable from the Bulgarian Embassy in Pyongyang, ‘Grain Shortages in Hamgyeong Province’",
         "Cable from the Bulgarian Embassy in Pyongyang on the North-South Talks"],
        # Word by word: a shorter word first, whatever follows it.
        ["New York", "Newark", "Newton"],
        # Digit runs are numbers: 9 before 10, 14 before 100; leading zeros do not count.
        ["Excerpt, page 9", "Excerpt, page 10", "Excerpt, page 14", "Excerpt, page 100"],
        ["Memo 2", "Memo 007", "Memo 10"],
        # An ignored character ends a run: "1-2" is 1 then 2, before 12.
        ["Document 1-2", "Document 12"],
        # Leading quotation marks and brackets are ignored.
        ["Memorandum on Trade", "[Note on the Treaty]", "“Quoted Title”", "Report"],
        # Case and diacritics are ignored, and letters with strokes count as their base letter.
        ["apple", "Banana", "cherry"],
        ["Eliot", "Émile", "Emma"],
        ["Lisbon", "Łódź", "Lyon"],
        ["Aarhus", "Ærø", "Afghanistan"],
        ["Strasbourg", "Straßburg", "Strasse"],
        # Hyphens and apostrophes inside words are ignored ("Sinosoviet").
        ["Sinology", "Sino-Soviet Split"],
        ["Kim Il Sung’s Health", "Kim Il Sungs Rivals"],
        # Symbols before digits, digits before letters; scripts Latin, Greek, Cyrillic,
        # Hangul, Han.
        ["$5 Loan", "5 Loans", "Loans"],
        ["Zhou", "Ωmega", "Бухарест", "박명림", "中国"],
        # Cyrillic е and ё are one letter at the base level; й is a letter of its own, after и.
        ["Артём", "Артем Иванов", "Артемий"],
        ["Андреи", "Андрей", "Андрек"],
    ],
)
def test_orders(expected: list[str]) -> None:
    assert ordered(*reversed(expected)) == expected
    assert ordered(*expected) == expected


def test_names_family_before_given() -> None:
    # Name keys: the family name ends at a separator that sorts before every letter.
    assert ordered("Smithers, Anne", "Smith, John", "Smith", "Smith-Jones, Al") == ["Smith", "Smith, John", "Smithers, Anne", "Smith-Jones, Al"]
    assert sort_key("Smith, John") == "smith" + SEPARATOR + "john" + SEPARATOR


def test_ties_and_empty_keys() -> None:
    # Differences in case, diacritics and punctuation alone are ties: input order is kept.
    assert ordered("Resume", "résumé", "RESUME!") == ["Resume", "résumé", "RESUME!"]
    assert ordered("résumé", "Resume") == ["résumé", "Resume"]
    assert sort_key("a01") == sort_key("a1")
    # An empty key is None (the caller puts it last); one of punctuation alone is not empty.
    assert sort_key("") is None and sort_key(None) is None
    assert sort_key("—") == SEPARATOR
    # Numbers (citation numbers, years) compare as numbers too.
    assert sorted([10, 9, 100], key=sort_key) == [9, 10, 100]  # type: ignore[arg-type]


# --- through render() -------------------------------------------------------------------


def _book(key: str, title: str, **more: Any) -> dict[str, Any]:
    return {"id": key, "type": "book", "title": title, **more}


@pytest.mark.parametrize("style", ["chicago-notes-archival", "mla-archival"])
def test_bibliography_sorts_names_and_titles(style: str) -> None:
    items = [
        _book("smithers", "Later", author=[{"family": "Smithers", "given": "Anne"}]),
        _book("smith", "Earlier", author=[{"family": "Smith", "given": "John"}]),
        _book("page100", "Excerpt, page 100"),
        _book("page14", "Excerpt, page 14"),
        _book("bracket", "[Untitled memorandum]"),
        _book("lodz", "Łódź Textile Deliveries"),
        _book("lisbon", "Lisbon Talks"),
    ]
    entries = render(style, items, markup="text")
    firsts = [next(i["id"] for i in items if i["title"] in entry) for entry in entries]
    assert firsts == ["page14", "page100", "lisbon", "lodz", "smith", "smithers", "bracket"]
    assert compare_with_citeproc_js(items, [style]) == []  # the same order, and text, there


SORT_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><sort><key variable="title" sort="{direction}"/></sort>
    <layout><group delimiter=" "><text variable="title"/><text variable="note"/></group></layout></bibliography>
</style>"""


@pytest.mark.parametrize("direction", ["ascending", "descending"])
def test_empty_keys_last_and_ties_in_input_order(direction: str) -> None:
    items = [
        {"id": "untitled", "type": "book", "note": "untitled"},
        {"id": "b1", "type": "book", "title": "Beta", "note": "first"},
        {"id": "a", "type": "book", "title": "Alpha"},
        {"id": "b2", "type": "book", "title": "beta.", "note": "second"},
    ]
    entries = render(SORT_STYLE.format(direction=direction), items, markup="text")
    middle = ["Beta first", "beta. second"]
    expected = ["Alpha", *middle] if direction == "ascending" else [*middle, "Alpha"]
    assert entries == [*expected, "untitled"]


DATE_MACRO_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="year">
    <choose><if variable="issued"><date variable="issued"><date-part name="year"/></date></if>
      <else><text value="n.d."/></else></choose>
  </macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><sort><key macro="year"/></sort>
    <layout><group delimiter=", "><text variable="title"/><text macro="year"/></group></layout></bibliography>
</style>"""


def test_a_date_macro_sorts_by_date() -> None:
    # A sort key's macro that holds a cs:date is the date's sort key alone, as in
    # citeproc-js: 100 BC before 68 AD before 1950 (not "100BC" < "1950" < "68AD" as text,
    # nor 68 < 100 as numbers), and no date ("n.d.") is an empty key, last.
    items = [
        {"id": "nd", "type": "book", "title": "Undated"},
        {"id": "modern", "type": "book", "title": "Modern", "issued": {"date-parts": [[1950]]}},
        {"id": "ad", "type": "book", "title": "Roman", "issued": {"date-parts": [[68]]}},
        {"id": "bc", "type": "book", "title": "Republican", "issued": {"date-parts": [[-100]]}},
    ]
    entries = render(DATE_MACRO_STYLE, items, markup="text")
    assert [e.split(",")[0] for e in entries] == ["Republican", "Roman", "Modern", "Undated"]


NAMES_MACRO_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="author">
    <names variable="author editor">
      <name and="text" sort-separator="" delimiter=", " et-al-min="4" et-al-use-first="1"/>
      <label form="short" prefix=" "/>
    </names>
  </macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><sort><key macro="author"/><key variable="title"/></sort>
    <layout><text variable="title"/></layout></bibliography>
</style>"""


def test_a_names_macro_sorts_by_names_alone() -> None:
    # In a sort key's names, as citeproc-js writes them: family name, separator, given name
    # (whatever the sort-separator, here none), no "and", no "et al.", no label ("ed.").
    def person(family: str, given: str) -> dict[str, str]:
        return {"family": family, "given": given}

    colaresi, rasler, thompson = person("Colaresi", "Michael"), person("Rasler", "Karen"), person("Thompson", "William")
    items = [
        _book("two", "Two", author=[colaresi, thompson]),  # not "... and Thompson"
        _book("three", "Three", author=[colaresi, rasler, thompson]),
        _book("four", "Four", author=[colaresi, thompson, rasler, person("Zeng", "L.")]),  # not "... et al."
        _book("edited", "Edited", editor=[colaresi]),  # not "... ed."
        _book("smithers", "Smithers", author=[person("Smithers", "Anne")]),
        _book("smith", "Smith", author=[person("Smith", "John")]),
    ]
    assert render(NAMES_MACRO_STYLE, items, markup="text") == ["Edited", "Four", "Three", "Two", "Smith", "Smithers"]
    assert render_js([{"style": NAMES_MACRO_STYLE, "items": items, "format": "text", "bibliography": True,
                       "citations": []}])[0]["bibliography"] == ["Edited", "Four", "Three", "Two", "Smith", "Smithers"]


# --- against ICU, as citeproc-js uses it -------------------------------------------------

_NODE_SORT = """
const strings = JSON.parse(require("fs").readFileSync(0, "utf8"));
const options = {sensitivity: "base", ignorePunctuation: true, numeric: true};
// citeproc-js's key: each space becomes its separator "|", and one more ends the key.
const key = (s) => s.split(" ").join("|") + "|";
const order = strings.map((s, i) => i).sort((a, b) =>
  key(strings[a]).toLocaleLowerCase().localeCompare(key(strings[b]).toLocaleLowerCase(), "en-US", options) || a - b);
process.stdout.write(JSON.stringify(order.map((i) => strings[i])));
"""

_WORDS = [
    "Pyongyang", "Pyongyang,", "on", "the", "‘Grain", "Shortages’", "Smith", "Smithers", "Smith-Jones", "John",
    "Łódź", "Lodz", "Lyon", "Émile", "emile", "Emma", "Straße", "Strasse", "Æsir", "Øster", "Oster", "Đorđe",
    "9", "10", "100", "007", "1-2", "12", "1950–1953", "page", "p.", "[Note", "“Quoted”", "(draft)", "Kim", "Il",
    "Sung’s", "Ким", "Ир", "Сен", "Артём", "Артем", "Андрей", "박명림", "한국전쟁의", "中国", "Ωmega", "$5", "+",
    "a", "A", "ab", "abc", "Abc.", "x9", "x10", "N°", "§3", "O’Neill", "ONeill", "d’Wander", "de", "van",
]


def test_collation_matches_icu_on_generated_keys() -> None:
    """Random keys from tricky words (punctuation, diacritics, numbers, scripts, names): the
    order of their sort keys is the order node's ICU collator gives citeproc-js's keys."""
    node = shutil.which("node")
    assert node, "node is not installed (run tests/install-tools.sh)"
    generator = random.Random(11)
    strings = [" ".join(generator.choice(_WORDS) for _ in range(generator.randint(1, 4))) for _ in range(1500)]
    strings = list(dict.fromkeys(strings))
    result = subprocess.run([node, "-e", _NODE_SORT], input=json.dumps(strings), capture_output=True, text=True,
                            check=True, timeout=60, cwd=JS)
    assert ordered(*strings) == json.loads(result.stdout)

"""The official CSL processor test suite, run through ``archcite.render.render``.

Fixtures: ``../shared/csl-test-suite/humans/*.txt`` (citation-style-language/test-suite,
``processor-tests/humans``; ``SOURCE.txt`` names the commit).  The sub-folders ``experiments/``
and ``off-spec/`` are not read: their README says they test behaviour outside the CSL
specification.

How a fixture is read
    Sections ``>>==== NAME ====>> ... <<==== NAME ====<<`` (any number of ``=``): MODE
    (citation or bibliography), RESULT (what citeproc-js prints), CSL (the style), INPUT
    (CSL-JSON items), and optionally CITATION-ITEMS or CITATIONS.  Every fixture is run the way
    citeproc-js's own fixture runner runs it:

    * CITATIONS (a document edited cite by cite, ``processCitationCluster``): the final document
      is replayed in order, each cluster with its ``noteIndex`` (as the last edit numbers the
      notes); only cited items are
      registered, so citation numbers follow first citation and the bibliography holds the
      cited items.  citeproc-js prints every cluster of the final document as ``..[i] text``
      (``>>[i]`` for those the last edit changed); the markers are dropped and the texts
      compared in order.
    * CITATION-ITEMS (``makeCitationCluster``): every item is registered first (citation
      numbers follow the bibliography), and each cluster is rendered on its own: a cite's
      position is the one the fixture gives, else "first".
    * neither: one cluster citing every item, in input order; the bibliography holds every item.

    An INPUT item without an id gets ``ITEM-<n>``, as in citeproc-js's runner.

How results are compared
    ``render(..., markup="html")`` returns one string per cluster or bibliography entry;
    clusters are compared line by line with citeproc-js's lines (a cluster may span lines).
    citeproc-js wraps a bibliography in ``<div class="csl-bib-body">`` with one
    ``<div class="csl-entry">`` per entry, pretty-printed over several lines; the entries are
    taken out of that wrapper (nested ``csl-left-margin``/``csl-block`` divs stay: they are the
    style's ``display`` and must match).  On both sides, whitespace that contains a line break
    between two tags is dropped (citeproc-js's indentation, not content), and character
    references are decoded (citeproc-js writes ``&#38;``, citeproc-py ``&amp;``).  Nothing
    else is normalized: text, punctuation, quotes and tags must be the same.

What is skipped
    Nothing: every fixture in ``humans/`` runs.  A fixture that raises, or takes longer than
    ``TIMEOUT`` seconds, counts as failing (one fixture is run first, untimed, so that imports
    and loading the default locale do not count against the first fixture).

The ratchet
    ``tests/csl_suite_passing.txt`` lists the fixtures that pass.  A listed fixture that fails,
    or an unlisted one that passes, fails the test; after a deliberate change run
    ``pytest tests/test_csl_suite.py --update-golden`` and review the list with ``git diff``.

Report
    ``python tests/test_csl_suite.py --report`` prints pass counts per category for archcite
    and for stock citeproc-py side by side (Markdown); ``python tests/test_csl_suite.py NAME...``
    prints expected and actual output of the named fixtures (a prefix such as ``flipflop_``
    selects a category).
"""

from __future__ import annotations

import html
import json
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "csl-test-suite" / "humans"
PASSING = Path(__file__).with_name("csl_suite_passing.txt")
TIMEOUT = 2.0  # seconds per fixture

_SECTION = re.compile(r">>=+ ([A-Z-]+) =+>>\n(.*?)\n<<=+ \1 =+<<", re.S)
_MARKER = re.compile(r"^(?:\.\.|>>)\[\d+\] ?")
_ENTRY_OPEN = '<div class="csl-entry">'


@dataclass
class Fixture:
    name: str
    mode: str
    expected: str
    style: str
    items: list[dict[str, Any]]
    citation_items: list[list[dict[str, Any]]] | None = None
    citations: list[Any] | None = None
    category: str = field(init=False)

    def __post_init__(self) -> None:
        self.category = self.name.split("_", 1)[0]


def read_fixture(path: Path) -> Fixture:
    sections: dict[str, str] = {}
    for match in _SECTION.finditer(path.read_text(encoding="utf-8")):
        sections.setdefault(match.group(1), match.group(2))
    return Fixture(
        name=path.stem,
        mode=sections["MODE"].strip(),
        expected=sections["RESULT"],
        style=sections["CSL"],
        items=json.loads(sections["INPUT"]),
        citation_items=json.loads(sections["CITATION-ITEMS"]) if "CITATION-ITEMS" in sections else None,
        citations=json.loads(sections["CITATIONS"]) if "CITATIONS" in sections else None,
    )


def fixtures() -> list[Fixture]:
    return [read_fixture(p) for p in sorted(FIXTURES.glob("*.txt"))]


# --- what a fixture asks for, as render() arguments --------------------------------


def final_document(citations: list[Any]) -> list[dict[str, Any]]:
    """The clusters of the document after the last edit, in document order.

    Each CITATIONS entry is ``[citation, citationsPre, citationsPost]``: the cluster added (or
    replaced, same citationID) and the ids of the clusters before and after it."""
    known: dict[str, dict[str, Any]] = {}
    order: list[tuple[str, int | None]] = []
    for citation, before, after in citations:
        known[citation["citationID"]] = citation
        order = [*map(tuple, before), (citation["citationID"], None), *map(tuple, after)]
    # The last edit also gives the other clusters' note numbers, which may have changed.
    return [
        {**known[cid], "properties": {**known[cid].get("properties", {}), "noteIndex": note}} if note is not None else known[cid]
        for cid, note in order
    ]


def fixture_items(fixture: Fixture) -> list[dict[str, Any]]:
    """The INPUT items; an item without an id gets ``ITEM-<n>`` (CSL-JSON requires ids, and
    citeproc-js's runner numbers such items the same way)."""
    return [item if "id" in item else {"id": f"ITEM-{n}", **item} for n, item in enumerate(fixture.items, 1)]


def render_arguments(fixture: Fixture) -> dict[str, Any]:
    """Keyword arguments for ``render`` (besides style and items)."""
    ids = [item["id"] for item in fixture_items(fixture)]
    if fixture.citations is not None:
        return {"citations": final_document(fixture.citations)}
    if fixture.citation_items is not None:
        clusters = [[{"position": 0, **cite} for cite in cluster] for cluster in fixture.citation_items]
        return {"citations": clusters if fixture.mode == "citation" else None, "register_all": True}
    return {"citations": [[{"id": i} for i in ids]] if fixture.mode == "citation" else None, "register_all": True}


def run_archcite(fixture: Fixture) -> list[str]:
    from archcite.render import render

    return render(fixture.style, fixture_items(fixture), mode=fixture.mode, markup="html", **render_arguments(fixture))


# --- comparing ---------------------------------------------------------------------


def normalize(text: str) -> str:
    """Drop layout whitespace (containing a line break) between tags; decode references."""
    return html.unescape(re.sub(r">\s*\n\s*<", "><", text.strip()))


def bibliography_entries(text: str) -> list[str]:
    """The inner HTML of each ``csl-entry`` div of a citeproc-js bibliography."""
    entries: list[str] = []
    position = 0
    while (start := text.find(_ENTRY_OPEN, position)) >= 0:
        depth, cursor = 1, start + len(_ENTRY_OPEN)
        for tag in re.finditer(r"<(/?)div\b[^>]*>", text[cursor:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                entries.append(text[cursor : cursor + tag.start()])
                position = cursor + tag.end()
                break
        else:
            raise ValueError("unbalanced <div> in a bibliography")
    return entries


def expected_outputs(fixture: Fixture) -> list[str]:
    if fixture.mode == "bibliography":
        return [normalize(e) for e in bibliography_entries(fixture.expected)]
    return [normalize(_MARKER.sub("", line)) for line in fixture.expected.splitlines()]


def actual_outputs(fixture: Fixture, outputs: list[str]) -> list[str]:
    if fixture.mode == "bibliography":
        return [normalize(o) for o in outputs]
    # citeproc-js prints clusters one a line, and a cluster may itself span lines (a
    # layout delimiter of "\n"): compare line by line.
    return [normalize(line) for line in "\n".join(outputs).split("\n")]


# --- running -----------------------------------------------------------------------


class FixtureTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Abort the block with FixtureTimeout after ``seconds`` (SIGALRM: main thread, POSIX)."""

    def expire(signum: int, frame: Any) -> None:
        raise FixtureTimeout(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    passed: bool
    expected: list[str]
    actual: list[str] | None
    error: str | None = None
    seconds: float = 0.0


def run_one(fixture: Fixture, runner: Callable[[Fixture], list[str]]) -> Outcome:
    expected = expected_outputs(fixture)
    start = time.perf_counter()
    try:
        with time_limit(TIMEOUT):
            actual = actual_outputs(fixture, runner(fixture))
    except Exception as exc:  # any failure of one fixture is that fixture's failure
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return Outcome(False, expected, None, error, time.perf_counter() - start)
    return Outcome(actual == expected, expected, actual, None, time.perf_counter() - start)


def run_all(runner: Callable[[Fixture], list[str]], selected: list[Fixture] | None = None) -> dict[str, Outcome]:
    import warnings

    chosen = selected if selected is not None else fixtures()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if chosen:  # imports and the en-US locale load once, outside any fixture's time limit
            try:
                runner(chosen[0])
            except Exception:
                pass
        return {f.name: run_one(f, runner) for f in chosen}


# --- the test ----------------------------------------------------------------------


def test_csl_suite_ratchet(update_golden: bool) -> None:
    outcomes = run_all(run_archcite)
    passing = sorted(name for name, outcome in outcomes.items() if outcome.passed)
    slow = [f"{name} ({o.seconds:.1f} s)" for name, o in outcomes.items() if o.seconds > TIMEOUT]
    assert not slow, f"fixtures slower than {TIMEOUT} s: {', '.join(slow)}"
    if update_golden:
        PASSING.write_text("".join(f"{name}\n" for name in passing), encoding="utf-8")
        return
    listed = set(PASSING.read_text(encoding="utf-8").split()) if PASSING.exists() else set()
    broken = sorted(listed - set(passing))
    fixed = sorted(set(passing) - listed)
    how = "run `pytest tests/test_csl_suite.py --update-golden` and review tests/csl_suite_passing.txt"
    problems = []
    if broken:
        details = [f"  {n}: {outcomes[n].error or outcomes[n].actual!r}" for n in broken if n in outcomes]
        problems.append(f"{len(broken)} listed fixture(s) now fail (a regression?):\n" + "\n".join(details))
    if fixed:
        problems.append(f"{len(fixed)} fixture(s) now pass but are not listed: {', '.join(fixed)}; {how}")
    assert not problems, "\n".join(problems)


# --- the report: archcite and stock citeproc-py, side by side -----------------------


def run_stock(fixture: Fixture) -> list[str]:
    """Stock citeproc-py 0.11.1 with the same reading of the fixture and nothing corrected."""
    import io

    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator
    from citeproc.formatter import html as html_formatter
    from citeproc.source.json import CiteProcJSON

    style = CitationStylesStyle(io.BytesIO(fixture.style.encode("utf-8")), validate=False)
    # citeproc-py cannot read an item without an id or a type (CSL-JSON requires both;
    # citeproc-js copes): default them as citeproc-py's own fixture runner does.
    items = [{"type": "book", **item} for item in fixture_items(fixture)]
    source = CiteProcJSON(items)
    engine = CitationStylesBibliography(style, source, html_formatter)
    arguments = render_arguments(fixture)
    clusters = [c["citationItems"] if isinstance(c, dict) else c for c in arguments["citations"] or []]
    citations = []
    for cluster in clusters:
        cites = []
        for cite in cluster:
            extra = {k: cite[k] for k in ("prefix", "suffix") if k in cite}
            if "locator" in cite:
                extra["locator"] = Locator(cite.get("label", "page"), str(cite["locator"]))
            cites.append(CitationItem(str(cite["id"]), **extra))
        citations.append(Citation(cites))
    if arguments.get("register_all"):
        engine.register(Citation([CitationItem(str(item["id"])) for item in items]))
    for citation in citations:
        engine.register(citation)
    if style.has_bibliography():
        engine.sort()
    if fixture.mode == "bibliography":
        return [str(entry) for entry in engine.bibliography()]
    return [str(engine.cite(citation, lambda item: None)) for citation in citations]


CATEGORY_GOALS = {
    # Chicago and MLA depend on these: every fixture must pass ...
    "flipflop": 1.0, "punctuation": 1.0, "quotes": 1.0, "label": 1.0, "substitute": 1.0,
    "textcase": 1.0, "page": 1.0,
    # ... and at least 90% of these.
    "name": 0.9, "date": 0.9, "locale": 0.9, "magic": 0.9, "position": 0.9,
}  # fmt: skip


def report() -> str:
    archcite, stock = run_all(run_archcite), run_all(run_stock)
    categories = sorted({name.split("_", 1)[0] for name in archcite}, key=lambda c: (c not in CATEGORY_GOALS, c))
    lines = ["| category | fixtures | stock citeproc-py | archcite |", "| --- | ---: | ---: | ---: |"]

    def counts(outcomes: dict[str, Outcome], category: str | None) -> tuple[int, int]:
        chosen = [o for n, o in outcomes.items() if category is None or n.split("_", 1)[0] == category]
        return sum(o.passed for o in chosen), len(chosen)

    for category in [*categories, None]:
        (ours, total), (theirs, _) = counts(archcite, category), counts(stock, category)
        label = f"**{category}**" if category in CATEGORY_GOALS else (category or "**all**")
        lines.append(f"| {label} | {total} | {theirs} ({theirs / total:.0%}) | {ours} ({ours / total:.0%}) |")
    return "\n".join(lines)


def show(patterns: list[str]) -> None:
    selected = [f for f in fixtures() if any(f.name.startswith(p) for p in patterns)]
    for name, outcome in run_all(run_archcite, selected).items():
        print(f"{'PASS' if outcome.passed else 'FAIL'} {name} ({outcome.seconds:.2f} s)")
        if not outcome.passed:
            print("  expected:", *outcome.expected, sep="\n    ")
            print("  actual:  ", *(outcome.actual or [outcome.error]), sep="\n    ")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["--report"]:
        print(report())
    elif sys.argv[1:]:
        show(sys.argv[1:])
    else:
        print(__doc__)

"""Render any CSL style and CSL-JSON with citeproc-py, corrected where it falls short.

citeproc-py parses the style and walks it (choose, groups, macros, sorting); archcite swaps
corrected element classes in (``archcite.engine.elements``, registered by
``_element_classes``) and finishes the output the way citeproc-js (Zotero's engine) does, so
that archcite prints what citeproc-js prints for the same style and data.  The steps:

1. ``prepare_item``: rich text and quotes in the data become marker characters
   (``engine.richtext.parse_markup``); names variables citeproc-py does not know are read as
   names; dates are cleaned (``clean_date``: empty parts, raw dates, seasons); variables
   written in the note field are read (``note_variables``).
2. citeproc-py renders with the corrected elements, writing formatting as markers.
3. ``finish``: punctuation merges at element boundaries, punctuation-in-quote, quotation
   levels, flip-flop of nested formatting, HTML (``engine.richtext.finish``); then
   ``archcite.markup`` converts to text, Markdown or RTF.

The official CSL test suite runs through ``render`` (tests/test_csl_suite.py);
``python tests/test_csl_suite.py --report`` compares archcite with stock citeproc-py.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

from .engine import richtext
from .errors import FormatError
from .gcpause import collector_paused
from .markup import convert

_NAME_VARIABLES = (
    "author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor",
    "curator", "director", "editor", "editor-translator", "editorial-director", "executive-producer",
    "guest", "host", "illustrator", "interviewer", "narrator", "organizer", "original-author",
    "performer", "producer", "recipient", "reviewed-author", "script-writer", "series-creator", "translator",
)  # fmt: skip
_VERBATIM = frozenset(("id", "type", "URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "language"))
# Zotero's names for CSL variables, still found in CSL-JSON.
_ALIASES = {"journalAbbreviation": "container-title-short", "shortTitle": "title-short"}
MODES = ("citation", "bibliography")
CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"


# --- step 1: the data ----------------------------------------------------------------


def prepare_item(
    item: Mapping[str, Any], parsed: dict[str, str] | None = None, wanted: frozenset[str] | None = None
) -> dict[str, Any]:
    """One CSL-JSON item made ready for citeproc-py: markup as markers, dates cleaned.
    ``parsed`` remembers the strings already read (names, publishers and archives repeat
    across the items of one call); ``wanted``: only these variables are kept (see
    ``variables_named``)."""
    parsed = {} if parsed is None else parsed
    # CSL-JSON requires a type, but citeproc-js renders an item without one (no type
    # condition matches it); citeproc-py would fail on it.
    ready: dict[str, Any] = {"type": ""}
    item = note_variables(item)
    for key, value in item.items():
        if key == "custom" or key.startswith("_") or value is None:
            continue  # not CSL variables; citeproc-py would warn about them
        if key in _ALIASES and _ALIASES[key] not in item:
            key = _ALIASES[key]
        if wanted is not None and _source_name(key) not in wanted and key != "id" and key != "type":
            continue
        if isinstance(value, str):
            if key not in _VERBATIM:
                found = parsed.get(value)  # (_rich_text, inlined: called for most variables)
                value = found if found is not None else _rich_text(value, parsed)
        elif isinstance(value, list) and value and all(_is_mapping(n) for n in value):
            value = [_prepare_name(n, parsed) for n in value]
        elif _is_mapping(value) and key not in _VERBATIM:
            value = clean_date(value)
            if value is None:
                continue
        ready[key] = value
    return ready


def _is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)  # (the ABC check is slow; JSON gives dicts)


def _rich_text(value: str, parsed: dict[str, str]) -> str:
    """A string field with its markup and quotes as markers."""
    found = parsed.get(value)
    if found is None:
        found = parsed[value] = richtext.parse_markup(richtext.narrow_spaces(value))
    return found


# CSL variables Zotero users put in the note field ("genre: Peer commentary"), besides names.
_NOTE_VARIABLES = frozenset(
    "abstract annote archive archive_location archive-place authority call-number chapter-number "
    "citation-label collection-number collection-title container-title container-title-short dimensions "
    "division DOI edition event event-place event-title genre ISBN ISSN issue jurisdiction keyword "
    "language medium note number number-of-pages number-of-volumes original-publisher "
    "original-publisher-place original-title page part-number part-title PMCID PMID publisher "
    "publisher-place references reviewed-genre reviewed-title scale section source status "
    "title title-short URL version volume volume-title year-suffix "
    "accessed available-date event-date issued original-date submitted".split()
)
_NOTE_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z_-]*):\s*(.+?)\s*$")


def note_variables(item: Mapping[str, Any]) -> Mapping[str, Any]:
    """Variables written in the note field, one "variable: value" line each, as Zotero and
    citeproc-js read them ("reviewed-author: Hall || W.C."); the data's own value wins and
    the lines read leave the note."""
    note = item.get("note")
    if not isinstance(note, str) or ":" not in note:
        return item
    found: dict[str, Any] = {}
    kept = []
    for line in note.split("\n"):
        match = _NOTE_LINE.match(line)
        key = match.group(1) if match else ""
        if match and key in _NAME_VARIABLES:
            family, _, given = match.group(2).partition("||")
            name = {"family": family.strip(), "given": given.strip()} if given else {"literal": family.strip()}
            found.setdefault(key, []).append(name)
        elif match and key in _NOTE_VARIABLES and key != "note":
            value = match.group(2)
            is_date = key in ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")
            found[key] = {"raw": value} if is_date else value
        else:
            kept.append(line)
    if not found:
        return item
    merged = {**found, **{k: v for k, v in item.items() if k != "note"}}
    if any(line.strip() for line in kept):
        merged["note"] = "\n".join(kept).strip()
    return merged


def _prepare_name(name: Mapping[str, Any], parsed: dict[str, str]) -> dict[str, Any]:
    """A name's parts with markup as markers.  A family name in straight double quotes
    ('"Van Dyke"') is taken as written: no particles are read out of it (citeproc-js)."""
    ready = dict(name)
    family = ready.get("family")
    if isinstance(family, str) and len(family) > 1 and family[0] == family[-1] == '"':
        ready["family"], ready["parse-names"] = family[1:-1], False
    return {k: _rich_text(v, parsed) if isinstance(v, str) else v for k, v in ready.items()}


_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}


def clean_date(value: Mapping[str, Any]) -> dict[str, Any] | None:
    """A CSL-JSON date citeproc-py can read: date-parts as numbers without empty or zero
    parts (citeproc-py prints "" as "00"), a ``raw`` ISO date ("1998-04-10", "2000/2001")
    read into date-parts, a season name as its number; None when nothing is left."""
    date = dict(value)
    parts = date.get("date-parts")
    if not parts and isinstance(date.get("raw"), str):
        parts = _raw_date(date["raw"])
        if parts is None:
            date["literal"] = date["raw"]
    cleaned = []
    for part in parts or []:
        numbers: list[int] = []
        for piece in part:
            try:
                number = int(str(piece).strip())
            except ValueError:
                break
            if number == 0 and numbers:
                break
            numbers.append(number)
        if numbers:
            cleaned.append(numbers)
    date.pop("raw", None)
    if cleaned:
        date["date-parts"] = cleaned
    else:
        date.pop("date-parts", None)
    season = date.get("season")
    if isinstance(season, str):
        date["season"] = _SEASONS.get(season.strip().lower(), season)
    if "literal" in date:
        date["literal"] = richtext.parse_markup(str(date["literal"]))
    if "date-parts" not in date and "literal" not in date:
        return None
    return date


def _raw_date(raw: str) -> list[list[int]] | None:
    pieces = [p.strip() for p in raw.split("/")]
    out = []
    for piece in pieces:
        match = re.fullmatch(r"(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", piece)
        if not match:
            return None
        out.append([int(g) for g in match.groups() if g])
    return out or None


def variables_named(root: Any) -> frozenset[str]:
    """The variables a style can print or test, as the source names them (``_source_name``):
    those its elements name, their short forms, and those the engine reads for itself (the
    language, issued for year-suffixes, page for page-first).  No element can print any
    other, so ``_source`` leaves them out: a collection's abstracts and notes are long, and
    reading their markup was a sixth of the cost of building the source."""
    store = root.cache()
    if "variables named" not in store:
        named = {"language", "issued", "page", "title-short"}
        for element in root.iter(f"{{{CSL_NAMESPACE}}}*"):
            for attribute in ("variable", "is-numeric", "is-uncertain-date"):
                named.update(element.get(attribute, "").split())
        named |= {variable + "-short" for variable in named}
        store["variables named"] = frozenset(_source_name(variable) for variable in named)
    return store["variables named"]  # type: ignore[no-any-return]


def _source_name(key: str) -> str:
    """A CSL-JSON key as citeproc-py's source names the variable."""
    found = _SOURCE_NAMES.get(key)
    if found is None:
        found = "title_short" if key == "shortTitle" else key.replace("-", "_")
        if len(_SOURCE_NAMES) < 4096:  # (keys are CSL's few variables; data can hold any)
            _SOURCE_NAMES[key] = found
    return found


_SOURCE_NAMES: dict[str, str] = {}


def _source(items: Sequence[Mapping[str, Any]], wanted: frozenset[str] | None = None) -> Any:
    """citeproc-py's source for the items: what ``CiteProcJSON`` builds, built directly (its
    string parsing looks for nocase spans, which ``prepare_item`` has already turned into
    markers), with every names variable read as names (citeproc-py reads only those it knows,
    under the wrong key for hyphenated ones).  ``wanted``: the variables kept (None: all).

    References and names are made as the dicts their constructors fill, without calling
    them: those check each key against sets they build for every call (all of CSL's
    variables, for a reference) only to warn, and the warnings are silenced here; that was
    a fifth of building the source."""
    from citeproc import DATES
    from citeproc.source import Name, Reference
    from citeproc.source.json import CiteProcJSON
    from citeproc.string import MixedString, String

    if any("id" not in item for item in items):
        raise FormatError("every CSL-JSON item needs an id")
    source = CiteProcJSON([])
    dates = frozenset(DATES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown CSL 1.0.2 variables are kept, not printed
        parsed: dict[str, str] = {}
        for item in (prepare_item(i, parsed, wanted) for i in items):
            key = str(item["id"]).lower()
            reference = Reference.__new__(Reference)
            dict.update(reference, key=key, type=item["type"])
            for variable, value in item.items():
                if variable in _NAME_VARIABLE_SET:
                    if isinstance(value, list):
                        reference[variable.replace("-", "_")] = [_name(Name, n) for n in value]
                    continue
                name = _source_name(variable)
                if name in ("id", "type", "key"):
                    continue
                if name in dates:
                    value = source.parse_date(value)
                elif variable != "language":
                    text = str(value)
                    if "<" in text and _NOCASE_TAG in text.lower():
                        value = source.parse_string(text)
                    else:
                        value = MixedString([String(text)]) if text else MixedString()
                dict.__setitem__(reference, name, value)
            source[key] = reference
    return source


def _name(cls: Any, parts: Mapping[str, Any]) -> Any:
    """citeproc-py's Name of ``parts`` (its None parts left out), made as its constructor does."""
    name = cls.__new__(cls)
    dict.update(name, {k: v for k, v in parts.items() if v is not None})
    return name


_NAME_VARIABLE_SET = frozenset(_NAME_VARIABLES)
_NOCASE_TAG = '<span class="nocase">'


# --- step 2: citeproc-py with the corrected element classes -------------------------


@lru_cache(maxsize=1)
def _element_classes() -> dict[str, type]:
    """citeproc-py's classes for CSL elements, with archcite's corrected ones swapped in
    (the one place where corrections are registered: archcite.engine.elements)."""
    from citeproc import model

    from .engine.elements import ELEMENT_CLASSES

    classes: dict[str, type] = {
        cls.__name__.replace("_", "-").lower(): cls for cls in model.CitationStylesElement.__subclasses__()
    }
    for fixed in ELEMENT_CLASSES:
        classes[fixed.__name__.replace("_", "-").lower()] = fixed
    return classes


@lru_cache(maxsize=16)
def _style(style_xml: str) -> Any:
    """Parse a style once (parsing dominates the cost of one citation), with the corrected
    element classes; what citeproc-py's own constructor does, minus its fixed class list."""
    from citeproc import CitationStylesStyle, model
    from lxml import etree

    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NAMESPACE)
    namespace[None] = model.CitationStylesElement
    namespace.update(_element_classes())
    parser = etree.XMLParser(remove_comments=True, no_network=True, resolve_entities=False)
    parser.set_element_class_lookup(lookup)
    try:
        root = etree.fromstring(style_xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"the style is not well-formed XML: {exc}") from None
    if etree.QName(root).localname != "style" or etree.QName(root).namespace != CSL_NAMESPACE:
        raise FormatError("not a CSL style: the root element must be <style> in the CSL namespace")
    # lxml makes a new Python object for an element each time it is reached unless one is
    # alive; keeping them all alive keeps what the engine caches on them (engine.base.look).
    root.__dict__["_archcite_elements"] = list(root.iter())
    style = CitationStylesStyle.__new__(CitationStylesStyle)
    style.xml = root.getroottree()
    style.root = root
    try:
        root.set_locale_list(root.get("default-locale", "en-US"), validate=False)
    except ValueError as exc:
        raise FormatError(f"the style cannot be used: {exc}") from None
    return style


def load_style(style: str | Path) -> str:
    """A style given as XML text, a path, or the name of a style in ``styles/``."""
    if isinstance(style, Path) or not str(style).lstrip().startswith("<"):
        path = style_path(str(style))
        return path.read_text(encoding="utf-8")
    return str(style)


@lru_cache(maxsize=1)
def styles_folder() -> Path:
    """Installed: archcite/styles inside the package; in a checkout: the top-level styles/
    (found once: the package does not move while it runs)."""
    here = Path(__file__).resolve().parent
    installed = here / "styles"
    return installed if installed.is_dir() else here.parent / "styles"


def style_names() -> list[str]:
    return sorted(p.stem for p in styles_folder().glob("*.csl"))


def style_path(name: str) -> Path:
    """A style by name ('chicago-notes-archival') or by path to a .csl file."""
    path = Path(name)
    if path.suffix == ".csl" and path.is_file():
        return path
    candidate = styles_folder() / f"{name}.csl"
    if candidate.is_file():
        return candidate
    raise FormatError(f"unknown style {name!r}; archcite's styles are: {', '.join(style_names())} (or give a .csl path)")


# --- step 3: the output -----------------------------------------------------------


def finish(marked: str, style: Any, markup: str = "html") -> str:
    """citeproc-py's marked output -> HTML as citeproc-js prints it (see engine.richtext)."""
    return richtext.finish(marked, style.root.quotes(), superscripts=markup == "html")


# --- the public function ---------------------------------------------------------


Cite = Mapping[str, Any]
Cluster = Union[Sequence[Cite], Mapping[str, Any]]


def render(
    style: str | Path,
    items: Sequence[Mapping[str, Any]],
    citations: Sequence[Cluster] | None = None,
    mode: str = "bibliography",
    markup: str = "html",
    *,
    register_all: bool = False,
) -> list[str]:
    """Render CSL-JSON ``items`` with a CSL ``style`` (XML text, a path, or an archcite style name).

    ``mode="bibliography"`` returns the style's sorted bibliography entries: for all items, or,
    when ``citations`` are given, for the items they cite.
    ``mode="citation"`` returns one string per cluster in ``citations`` (default: one cluster
    citing every item), rendered in order as one document, so that a repeated item takes the
    style's subsequent (or ibid) form.  A cluster is a list of cites, each in its own note
    (note 1, 2, ...), or a citeproc-js citation ``{"citationItems": [...], "properties":
    {"noteIndex": 3}}`` (note 0: in the text) whose note number the position tests (ibid,
    near-note, first-reference-note-number) use.  A cite is ``{"id": ..., "locator": "19",
    "label": "page", "prefix": ..., "suffix": ...}``; ``"position"`` (first, subsequent, ibid,
    ibid-with-locator, or citeproc-js's 0-3) and ``"near-note"`` force a position instead of
    tracking it.  ``markup`` is text, html, markdown or rtf (an RTF fragment; see
    ``archcite.markup.rtf_document``).

    ``register_all=True`` registers every item before citing, as citeproc-js's ``updateItems``
    does: citation numbers then follow the bibliography rather than first citation, and the
    bibliography holds every item even when ``citations`` are given.

        >>> render("chicago-notes-archival", [{"id": "a", "type": "book", "title": "War",
        ...         "author": [{"family": "Tolstoy", "given": "Leo"}]}], markup="text")
        ['Tolstoy, Leo. War.']
    """
    if mode not in MODES:
        raise FormatError(f"unknown mode {mode!r}; choose citation or bibliography")
    with collector_paused():  # (see archcite.gcpause)
        return _render(style, items, citations, mode, markup, register_all)


def _render(
    style: str | Path,
    items: Sequence[Mapping[str, Any]],
    citations: Sequence[Cluster] | None,
    mode: str,
    markup: str,
    register_all: bool,
) -> list[str]:
    from citeproc import Citation

    from .engine.base import Bibliography, CitedItem

    parsed = _style(load_style(style))
    source = _source(items, variables_named(parsed.root))
    if mode == "citation" and citations is None:
        citations = [[{"id": key} for key in source]]
    clusters = [_citation(cluster, index, source) for index, cluster in enumerate(citations or [], 1)]
    # A fresh engine per call: citeproc-py reuses the first registered cite, locator
    # included, for the bibliography entry, so entries are registered locator-free.
    engine = Bibliography(parsed, source, richtext.Formatter)
    if register_all or (mode == "bibliography" and citations is None):
        engine.register(Citation([CitedItem(key) for key in source]))
    for citation in clusters:
        engine.register(Citation([CitedItem(cite.key) for cite in citation.cites]))
    if parsed.has_bibliography() and (mode == "bibliography" or _cites_need_order(parsed)):
        engine.sort()
    if mode == "bibliography":
        if not parsed.has_bibliography():
            raise FormatError("this style has no bibliography")
        raw = [str(entry) for entry in engine.bibliography()]
    else:
        raw = []
        for citation in clusters:
            citation.bibliography = engine
            raw.append(str(engine.cite(citation, _unknown) or ""))
    quotes = parsed.root.quotes()
    if markup == "text" and not quotes.hold_markup():
        # The same text as the HTML converted (richtext.to_text), without writing the HTML.
        return [richtext.finish_text(entry, quotes) for entry in raw]
    return [convert(finish(entry, parsed, markup), markup) for entry in raw]


def _cites_need_order(style: Any) -> bool:
    """Whether citations depend on the bibliography's order: citation numbers, and the
    year-suffixes of disambiguation, follow it.  Other styles' citations skip the sort."""
    from .engine.disambiguation import style_options

    root = style.root
    store = root.cache()
    if "cites need order" not in store:
        adds_year_suffix = style_options(root)[1]
        store["cites need order"] = adds_year_suffix or bool(
            root.xpath("//*[@variable='citation-number']", namespaces=root.nsmap)
        )
    return bool(store["cites need order"])


_POSITIONS = {0: "first", 1: "subsequent", 2: "ibid", 3: "ibid-with-locator"}


def _citation(cluster: Cluster, number: int, source: Any) -> Any:
    """A citeproc-py Citation for one cluster (a list of cites, in note ``number``, or a
    citeproc-js citation with its own note number)."""
    from citeproc import Citation, Locator

    from .engine.base import CitedItem

    note = number
    cites_given: Sequence[Cite]
    if isinstance(cluster, Mapping):
        note = int(cluster.get("properties", {}).get("noteIndex", 0) or 0)
        cites_given = cluster["citationItems"]
    else:
        cites_given = cluster
    cites = []
    for cite in cites_given:
        key = str(cite["id"]).lower()
        if key not in source:
            raise FormatError(f"no item {cite['id']!r} to cite")
        extra: dict[str, Any] = {k: str(cite[k]) for k in ("prefix", "suffix") if cite.get(k)}
        if cite.get("locator") not in (None, ""):
            extra["locator"] = Locator(cite.get("label") or "page", str(cite["locator"]))
        made = CitedItem(key, **extra)
        if "position" in cite:
            made.forced_position = _POSITIONS.get(cite["position"], cite["position"])
        if "near-note" in cite:
            made.forced_near_note = bool(cite["near-note"])
        cites.append(made)
    citation = Citation(cites)
    citation.note_index = note
    return citation


def _unknown(item: Any) -> None:
    raise FormatError(f"no item {item.key!r} to cite")

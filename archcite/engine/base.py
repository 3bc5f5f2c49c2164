"""What every corrected element shares: per-render state, the marker mixins, cached look-ups.

* ``Usage``: the variables called and rendered so far in one entry or cite (cs:group's rule:
  a group that calls variables and gets none is suppressed; citeproc-py decides it from the
  style alone) and the variables cs:substitute has used (suppressed for the rest).
* ``Marked``: formatting, quotes and affixes written as ``richtext`` markers, element
  boundaries as seams, ``text-case`` as citeproc-js applies it.
* ``Children``: children joined with seams.
* ``CachedLookups``/``Style``: macro and term look-ups cached on the style root (citeproc-py
  runs an XPath query for each, for every item), the locale's quotation marks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from citeproc import CitationItem, CitationStylesBibliography, model
from citeproc.source import VariableError

from . import richtext
from .richtext import QUOTE, SEAM
from .textcase import text_case

# --- per-render state --------------------------------------------------------------


class Usage:
    """Variables called and rendered so far in one entry or cite (for cs:group), and the
    variables suppressed by cs:substitute."""

    def __init__(self) -> None:
        self.called = 0
        self.rendered = 0
        self.suppressed: set[str] = set()
        self.substituting = 0  # depth of cs:substitute being rendered
        self.disambiguating = False  # rendering a cite to compare it (dates other than issued left out)
        self.suppress_names = False  # rendering a collapsed cite: its first cs:names is left out
        self.year_suffix_done = False  # the implicit year-suffix has been placed
        self.date_keys: list[str] | None = None  # a sort key's macro holding a cs:date: its dates' sort keys

    def count(self, variable: str, text: Any) -> Any:
        if variable == "year-suffix":
            return text  # generated, not data: it does not decide whether a group shows
        self.called += 1
        if text:
            self.rendered += 1
            if self.substituting:
                self.suppressed.add(variable)
        return text


def usage(item: Any) -> Usage:
    """The Usage of the entry or cite being rendered (kept on the citation item)."""
    found = item.get("_usage") if isinstance(item, dict) else None
    if found is None:
        found = Usage()
        if isinstance(item, dict):
            dict.__setitem__(item, "_usage", found)
    return found


def reset_usage(item: Any) -> Usage:
    fresh = Usage()
    dict.__setitem__(item, "_usage", fresh)
    return fresh


def item_language(item: Any, element: Any) -> str:
    language = item.__dict__.get("_language") if isinstance(item, CitedItem) else None
    if language is None:
        try:
            language = str(item.reference.get("language") or element.get_root().get("default-locale") or "en")
        except (AttributeError, VariableError):
            language = "en"
        if isinstance(item, CitedItem):
            item.__dict__["_language"] = language
    return language


# --- the engine and its cites: look-ups citeproc-py repeats, done once ------------------


class Bibliography(CitationStylesBibliography):  # type: ignore[misc]
    """citeproc-py's engine with its registered keys also in a dict (key -> number):
    citeproc-py searches the list for every registration, cite and citation number, which
    grows with the square of the number of items."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._numbers: dict[str, int] = {}

    def register(self, citation: Any, callback: Any = None) -> None:
        citation.bibliography = self
        for item in citation.cites:
            if item.key in self.source:
                if item.key not in self._numbers:
                    self._numbers[item.key] = len(self.keys) + 1
                    self.keys.append(item.key)
                    self.items.append(item)
            elif callback is not None:
                callback(item)

    def sort(self) -> None:
        super().sort()
        self._numbers = {key: number for number, key in enumerate(self.keys, 1)}

    def number(self, key: str) -> int | None:
        return self._numbers.get(key)


class CitedItem(CitationItem):  # type: ignore[misc]
    """citeproc-py's CitationItem, with its reference and engine looked up once: citeproc-py
    reaches both through chains of properties and dictionary look-ups on every variable an
    element reads.  Its engine is a ``Bibliography`` (above)."""

    # cached_property: after the first look-up the value is a plain attribute of the cite.
    @cached_property
    def bibliography(self) -> Any:
        return self.citation.bibliography

    @cached_property
    def reference(self) -> Any:
        return self.bibliography.source[self.key]

    @property
    def number(self) -> int:
        found = self.bibliography.number(self.key)
        if found is None:
            raise ValueError(f"{self.key!r} is not registered")
        return int(found)

    def is_bad(self) -> bool:
        return self.bibliography.number(self.key) is None


T = TypeVar("T")
REMEMBERED = 4096  # texts a memo below keeps before it forgets them all at once
_NOT_YET = object()


def remembered(seen: dict[Any, Any], key: Callable[[], Any], make: Callable[[], T], limit: int | None = REMEMBERED) -> T:
    """``make()``, remembered in ``seen`` under ``key()`` (None too).  For renders that
    depend on a value and the style alone (names, dates), which recur across a collection's
    items.  A key that cannot be made or hashed (a part that is not text) is not remembered.
    ``limit``: the entries kept before all are forgotten at once (None: a memo that lives
    for one call only, and needs no limit)."""
    try:
        made_key = key()
        found = seen.get(made_key, _NOT_YET)
    except TypeError:
        return make()
    if found is _NOT_YET:
        if limit is not None and len(seen) >= limit:
            seen.clear()
        found = seen[made_key] = make()
    return found  # type: ignore[no-any-return]


def has_value(value: Any) -> bool:
    return value is not None and value != "" and value != []


# --- the mixins ------------------------------------------------------------------------

_FONT = (
    ("font-style", {"italic": richtext.ITALIC, "oblique": richtext.ITALIC, "normal": richtext.ROMAN}),
    ("font-variant", {"small-caps": richtext.SMALLCAPS, "normal": richtext.NORMAL_VARIANT}),
    ("font-weight", {"bold": richtext.BOLD, "normal": richtext.NORMAL_WEIGHT}),
    ("text-decoration", {"underline": richtext.UNDERLINE}),
    ("vertical-align", {"sup": richtext.SUP, "sub": richtext.SUB, "baseline": richtext.BASELINE}),
)


class Look:
    """What an element's attributes say about its output, read once per element: a style is
    parsed once and rendered for thousands of items (the elements stay alive, see
    ``archcite.render._style``, so this stays on them)."""

    __slots__ = ("fonts", "prefix", "suffix", "display", "quotes", "strip_periods", "text_case", "delimiter")

    def __init__(self, element: Any) -> None:
        get = element.get
        self.fonts = tuple(pairs[get(a)] for a, pairs in _FONT if get(a) in pairs)
        self.prefix: str = get("prefix", "")
        self.suffix: str = get("suffix", "")
        self.display = richtext.DISPLAY.get(get("display", ""))
        self.quotes = get("quotes", "false").lower() == "true"
        self.strip_periods = get("strip-periods", "false").lower() == "true"
        self.text_case: str | None = get("text-case")
        self.delimiter: str | None = get("delimiter")


def look(element: Any) -> Look:
    found: Look | None = element.__dict__.get("_look")
    if found is None:
        found = Look(element)
        element.__dict__["_look"] = found
    return found


class Marked:
    """Formatting, affixes, delimiters, quotes and text-case as markers (see module docstring)."""

    def format(self, text: Any) -> Any:
        if text is None:
            return None
        text = str(text)
        for pair in look(self).fonts:
            text = pair[0] + text + pair[1]
        return text

    def wrap(self, text: Any) -> Any:
        return wrap(look(self), text)

    def join(self, strings: Any, default_delimiter: str = "") -> str:
        delimiter = look(self).delimiter
        delimiter = default_delimiter if delimiter is None else delimiter
        return (SEAM + delimiter + SEAM).join(str(s) for s in strings if s)

    def quote(self, text: Any) -> Any:
        if look(self).quotes:
            return richtext.wrap(QUOTE, str(text))
        return text

    def case(self, text: Any, language: str | None = None) -> Any:
        return text_case(str(text), look(self).text_case, language or "en")

    def strip_periods(self, text: Any) -> Any:
        if look(self).strip_periods:
            return str(text).replace(".", "")
        return text

    def decorate(self, text: Any, language: str | None = None, quotes: bool = True) -> Any:
        """``wrap(quote(format(case(strip_periods(text)))))`` in one pass (``quotes=False``:
        without the quotes): what cs:text and cs:number do to their text."""
        return decorate(look(self), text, language, quotes)


def wrap(found: Look, text: Any) -> Any:
    """``Marked.wrap`` (affixes between seams, display) with the element's ``Look`` at hand."""
    if text is None or text == "":
        return None
    text = SEAM + found.prefix + SEAM + str(text) + SEAM + found.suffix + SEAM
    return richtext.wrap(found.display, text) if found.display else text


def decorate(found: Look, text: Any, language: str | None = None, quotes: bool = True) -> Any:
    """``Marked.decorate`` with the element's ``Look`` at hand (compiled renders keep it)."""
    if not text:
        return None
    text = str(text)
    if found.strip_periods:
        text = text.replace(".", "")
    if found.text_case:
        text = text_case(text, found.text_case, language or "en")
    for pair in found.fonts:
        text = pair[0] + text + pair[1]
    if quotes and found.quotes:
        text = QUOTE[0] + text + QUOTE[1]
    if not text:
        return None
    text = SEAM + found.prefix + SEAM + text + SEAM + found.suffix + SEAM
    return found.display[0] + text + found.display[1] if found.display else text


def children(element: Any) -> tuple[tuple[Any, bool], ...]:
    """An element's children, each with whether it is a cs:choose (which passes the
    delimiter on), listed once per element."""
    found: tuple[tuple[Any, bool], ...] | None = element.__dict__.get("_children")
    if found is None:
        found = tuple((child, isinstance(child, model.Choose)) for child in element.iterchildren())
        element.__dict__["_children"] = found
    return found


# --- compiled renders -------------------------------------------------------------------

Render = Callable[[Any, Any, Any], Any]
"""An element's rendering as one closure: ``(item, context, sort_options) -> text or None``
(None also where the element's ``render`` raises VariableError, as a suppressed cs:group
does).  A style is parsed once and renders thousands of entries, each visiting some sixty
elements; walking them through ``render``/``process``/``markup`` methods with keyword
arguments and a cache look-up per attribute was about a third of the rendering's cost.
What an element's attributes decide is looked up once, when its closure is built."""


def compiled(element: Any, delimiter: str = "") -> Render:
    """The element's closure, built once per element: by its ``compile_render(delimiter)``
    where it has one, else calling its ``render``.  ``delimiter`` is what a cs:choose passes
    on to its branch (its parent's delimiter: the same for every render of the element)."""
    store: dict[Any, Render] = element.__dict__.setdefault("_compiled", {})
    found = store.get(delimiter)
    if found is None:
        make = getattr(element, "compile_render", None)
        found = store[delimiter] = make(delimiter) if make is not None else _calling_render(element)
    return found


def _calling_render(element: Any) -> Render:
    def run(item: Any, context: Any, sort_options: Any) -> Any:
        text = element.render(item, context=context, sort_options=sort_options)
        return str(text) if text else None

    return run


def compiled_children(element: Any, delimiter: str = "") -> Render:
    """An element's children rendered and joined with ``delimiter`` between seams, as one
    closure (built once per element and delimiter).  The children's closures are built at
    the first render: a macro may (wrongly) call itself in a branch never taken."""
    store: dict[Any, Render] = element.__dict__.setdefault("_compiled", {})
    key = ("children", delimiter)
    found = store.get(key)
    if found is not None:
        return found
    joiner = SEAM + delimiter + SEAM
    runs: tuple[Render, ...] | None = None

    def run(item: Any, context: Any, sort_options: Any) -> Any:
        nonlocal runs
        if runs is None:
            # a cs:choose passes the delimiter on to its branch
            runs = tuple(compiled(child, delimiter if is_choose else "") for child, is_choose in children(element))
        output = []
        for child in runs:
            try:
                text = child(item, context, sort_options)
            except VariableError:
                continue
            if text:
                output.append(text)
        return joiner.join(output) if output else None

    store[key] = run
    return run


class Children:
    """Children joined with seams between them (a boundary where punctuation merges)."""

    def render_children(self, item: Any, delimiter: str = "", context: Any = None, sort_options: Any = None) -> Any:
        return compiled_children(self, delimiter)(item, context, sort_options)

    def process_children(self, item: Any, **kwargs: Any) -> Any:
        return self.render_children(item, **kwargs)


# --- the style root and locales: cached look-ups ------------------------------------


class Style(model.Style):  # type: ignore[misc]
    """Caches macro and term look-ups (citeproc-py runs an XPath query for each, for every
    item), and knows the locale's quotation marks for the final pass."""

    @property
    def citation(self) -> Any:
        """cs:citation (citeproc-py finds it again for every cite)."""
        return self._child("citation")

    @property
    def bibliography(self) -> Any:
        return self._child("bibliography")

    def _child(self, tag: str) -> Any:
        store = self.cache()
        key = ("child", tag)
        if key not in store:
            store[key] = self.find(f"cs:{tag}", self.nsmap)
        return store[key]

    def cache(self) -> dict[Any, Any]:
        store = self.__dict__.get("_archcite_cache")
        if store is None:
            store = {}
            self.__dict__["_archcite_cache"] = store
        return store

    def quotes(self) -> richtext.Quotes:
        store = self.cache()
        if "quotes" not in store:

            def term(name: str, default: str) -> str:
                found = self.get_term(name)
                return str(found.single) if found is not None else default

            piq = (self.get_locale_option("punctuation-in-quote") or "false").lower() == "true"
            store["quotes"] = richtext.Quotes(
                term("open-quote", "“"), term("close-quote", "”"), term("open-inner-quote", "‘"),
                term("close-inner-quote", "’"), piq,
            )  # fmt: skip
        return store["quotes"]  # type: ignore[no-any-return]


def _cached_root(element: Any) -> Style | None:
    root = element.get_root()
    return root if isinstance(root, Style) else None


class CachedLookups:
    """Macro and term look-ups cached on the style root."""

    def get_macro(self, name: str) -> Any:
        root = _cached_root(self)
        if root is None:
            return model.CitationStylesElement.get_macro(self, name)
        store = root.cache()
        key = ("macro", name)
        if key not in store:
            store[key] = model.CitationStylesElement.get_macro(self, name)
        return store[key]

    def get_term(self, name: str, form: str | None = None, fallback_locale: bool = True, zero_padded: bool = False) -> Any:
        root = _cached_root(self)
        lookup = model.CitationStylesElement.get_term
        if root is None:
            return lookup(self, name, form, fallback_locale, zero_padded)
        store = root.cache()
        key = ("term", name, form, fallback_locale, zero_padded)
        if key not in store:
            store[key] = lookup(self, name, form, fallback_locale, zero_padded)
        return store[key]

    def term_text(self, name: str, form: str | None = None, plural: bool = False) -> str:
        """A term's text, falling back from verb-short to verb to long and from short/symbol
        to long, as CSL prescribes; '' if the locale lacks it."""
        root = _cached_root(self)
        key = ("term text", name, form, plural)
        if root is not None and key in root.cache():
            return root.cache()[key]  # type: ignore[no-any-return]
        text = ""
        for candidate in _term_forms(form):
            term = self.get_term(name, candidate)
            if term is not None:
                text = str(term.multiple if plural else term.single)
                # A term holding only the XML's line break and indentation is empty.
                text = "" if "\n" in text and not text.strip() else text
                break
        if root is not None:
            root.cache()[key] = text
        return text


def _term_forms(form: str | None) -> list[str | None]:
    chain: dict[str | None, list[str | None]] = {
        None: [None], "long": [None], "short": ["short", None], "symbol": ["symbol", "short", None],
        "verb": ["verb", None], "verb-short": ["verb-short", "verb", None],
    }  # fmt: skip
    return chain.get(form, [form, None])

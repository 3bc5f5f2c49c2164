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

from typing import Any

from citeproc import model
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
    try:
        return str(item.reference.get("language") or element.get_root().get("default-locale") or "en")
    except (AttributeError, VariableError):
        return "en"


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


class Marked:
    """Formatting, affixes, delimiters, quotes and text-case as markers (see module docstring)."""

    def format(self, text: Any) -> Any:
        if text is None:
            return None
        text = str(text)
        for attribute, pairs in _FONT:
            pair = pairs.get(self.get(attribute, ""))  # type: ignore[attr-defined]
            if pair:
                text = richtext.wrap(pair, text)
        return text

    def wrap(self, text: Any) -> Any:
        if text is None or text == "":
            return None
        prefix, suffix = self.get("prefix", ""), self.get("suffix", "")  # type: ignore[attr-defined]
        text = SEAM + prefix + SEAM + str(text) + SEAM + suffix + SEAM
        display = richtext.DISPLAY.get(self.get("display", ""))  # type: ignore[attr-defined]
        return richtext.wrap(display, text) if display else text

    def join(self, strings: Any, default_delimiter: str = "") -> str:
        delimiter = str(self.get("delimiter", default_delimiter))  # type: ignore[attr-defined]
        return (SEAM + delimiter + SEAM).join(str(s) for s in strings if s)

    def quote(self, text: Any) -> Any:
        if self.get("quotes", "false").lower() == "true":  # type: ignore[attr-defined]
            return richtext.wrap(QUOTE, str(text))
        return text

    def case(self, text: Any, language: str | None = None) -> Any:
        return text_case(str(text), self.get("text-case"), language or "en")  # type: ignore[attr-defined]

    def strip_periods(self, text: Any) -> Any:
        if self.get("strip-periods", "false").lower() == "true":  # type: ignore[attr-defined]
            return str(text).replace(".", "")
        return text


class Children:
    """Children joined with seams between them (a boundary where punctuation merges)."""

    def render_children(self, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        output = []
        for child in self.iterchildren():  # type: ignore[attr-defined]
            try:
                if isinstance(child, model.Choose):
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
            except VariableError:
                continue
            if text:
                output.append(str(text))
        return (SEAM + delimiter + SEAM).join(output) if output else None

    def process_children(self, item: Any, **kwargs: Any) -> Any:
        return self.render_children(item, **kwargs)


# --- the style root and locales: cached look-ups ------------------------------------


class Style(model.Style):  # type: ignore[misc]
    """Caches macro and term look-ups (citeproc-py runs an XPath query for each, for every
    item), and knows the locale's quotation marks for the final pass."""

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
        for candidate in _term_forms(form):
            term = self.get_term(name, candidate)
            if term is not None:
                text = str(term.multiple if plural else term.single)
                # A term holding only the XML's line break and indentation is empty.
                return "" if "\n" in text and not text.strip() else text
        return ""


def _term_forms(form: str | None) -> list[str | None]:
    chain: dict[str | None, list[str | None]] = {
        None: [None], "long": [None], "short": ["short", None], "symbol": ["symbol", "short", None],
        "verb": ["verb", None], "verb-short": ["verb-short", "verb", None],
    }  # fmt: skip
    return chain.get(form, [form, None])

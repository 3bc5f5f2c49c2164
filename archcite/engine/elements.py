"""citeproc-py's CSL element classes, corrected: each class here subclasses the citeproc.model
class of the same name and is swapped in when a style is parsed (``ELEMENT_CLASSES``, used by
``archcite.render._element_classes``).  Nothing in citeproc-py is patched.

What every element does differently (the mixins):

* formatting, quotes and affixes are written as markers (``richtext``), so that flip-flop,
  quote levels and punctuation at element boundaries can be resolved on the whole output;
* ``text-case`` follows citeproc-js (``textcase``);
* variables that render count towards cs:group's rule (a group that calls variables and gets
  none is suppressed), which citeproc-py approximates from the style alone.

Element by element, the gaps closed are named in each class's docstring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from citeproc import model
from citeproc.source import VariableError

from . import numbers, richtext
from .base import (
    CachedLookups, Children, Marked, Render, Style, children, compiled, compiled_children, decorate, has_value, item_language,
    look, remembered, reset_usage, usage, wrap,
)  # fmt: skip
from .collation import sort_key
from .dates import Date
from .disambiguation import RenderedCite, collapse, disambiguation, group_by_names
from .names import names_sort_key, render_names
from .positions import Position, Tracker
from .richtext import SEAM
from .textcase import capitalise

# --- rendering elements -----------------------------------------------------------------


class Text(CachedLookups, Marked, model.Text):  # type: ignore[misc]
    """cs:text.  Corrections: text values may hold markup and quotes (parsed as in data);
    page and locator ranges follow page-range-format (``numbers``); terms fall back between
    forms; substituted variables stay suppressed; empty variables count for cs:group."""

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        return compiled(self)(item, context, kwargs.get("sort_options"))

    def compile_render(self, delimiter: str) -> Render:
        kind, source = self._source()
        found = look(self)
        needs_language = bool(found.text_case)  # (only text-case needs the item's language)
        if kind == "plain":
            # The common case, kept short: a variable printed as it is (what _variable and
            # variable_text do for it).
            variable, key = source

            def plain(item: Any, context: Any, sort_options: Any) -> Any:
                used = usage(item)
                text = None
                if variable not in used.suppressed:
                    value = item.reference.get(key)
                    if value is not None and value != "" and value != [] and type(value) is not list:
                        text = str(value)
                used.count(variable, text)
                if not text:
                    return None
                return decorate(found, text, item_language(item, self) if needs_language else None)

            return plain
        if kind == "macro":
            macro = compiled_children(source)
            dated = holds_date(source)

            def call_macro(item: Any, context: Any, sort_options: Any) -> Any:
                if dated and sort_options is not None:
                    return dates_only(item, lambda: macro(item, self if context is None else context, sort_options))
                # citeproc-js treats a macro as a group: when it calls variables and none of
                # them renders, its terms and fixed text go too ("in " before no container).
                used = usage(item)
                called, rendered = used.called, used.rendered
                text = macro(item, self if context is None else context, sort_options)
                if not text or (used.called > called and used.rendered == rendered):
                    return None
                return decorate(found, text, item_language(item, self) if needs_language else None)

            return call_macro

        def other(item: Any, context: Any, sort_options: Any) -> Any:
            text, language = self.process(item, context, sort_options=sort_options)
            return self.markup(text, language)

        return other

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        """(text, language) of what ``compile_render`` leaves to the general path: a variable
        that needs more than its value, a term, a value (plain variables and macros have
        closures of their own)."""
        language = item_language(item, self) if look(self).text_case else None  # (only text-case needs it)
        context = self if context is None else context  # (an element without children is falsy)
        kind, source = self._source()
        if kind == "variable":
            return self._variable(item, context), language
        if kind == "term":
            return self._term(item), language
        return source, language

    def _source(self) -> tuple[str, Any]:
        """What the text shows, decided once per element: ("plain", (variable, key in the
        reference)) for a variable printed as it is, ("variable", None) for one that needs
        more (short forms, pages, locators, numbers made by the engine), ("macro", the macro
        element), ("term", None), or ("value", its text with markup as markers)."""
        found: tuple[str, Any] | None = self.__dict__.get("_text_source")
        if found is None:
            variable = self.get("variable")
            if variable is not None and variable not in _ENGINE_VARIABLES and self.get("form") != "short":
                found = ("plain", (variable, variable.replace("-", "_")))
            elif variable is not None:
                found = ("variable", None)
            elif "macro" in self.attrib:
                found = ("macro", self.get_macro(self.get("macro")))
            elif "term" in self.attrib:
                found = ("term", None)
            else:
                found = ("value", richtext.parse_markup(self.get("value", "")))
            self.__dict__["_text_source"] = found
        return found

    def _variable(self, item: Any, context: Any) -> Any:
        variable = self.get("variable")
        used = usage(item)
        if variable in used.suppressed:
            return used.count(variable, None)
        if self.get("form") == "short":
            for short in (variable + "-short", {"title": "title-short"}.get(variable, "")):
                if short and has_value(item.reference.get(short.replace("-", "_"))):
                    variable = short
                    break
        text = variable_text(self, item, variable)
        return used.count(self.get("variable"), text)

    def _term(self, item: Any) -> Any:
        plural = self.get("plural", "false").lower() == "true"
        text = self.term_text(self.get("term"), self.get("form", "long"), plural)
        return richtext.wrap(richtext.TERM, text) if text else text

    def markup(self, text: Any, language: str | None = None) -> Any:
        return self.decorate(text, language)


# Variables cs:text prints with more than the reference's value (see variable_text).
_ENGINE_VARIABLES = frozenset(("locator", "citation-number", "first-reference-note-number", "page", "page-first", "year-suffix"))


def variable_text(element: Any, item: Any, variable: str) -> Any:
    """The text of a variable for cs:text (numbers and pages included), or None."""
    if variable == "locator":
        if "locator" not in item:
            return None
        locator = item["locator"]
        return page_ranges(element, str(locator.identifier).strip(), locator.label == "page")
    if variable == "citation-number":
        return str(item.number)
    if variable == "first-reference-note-number":
        position = item.get("position_info")
        return str(position.first_note) if position and position.first_note is not None else None
    if variable in ("page", "page-first"):
        page = item.reference.get("page")
        if not has_value(page):
            return None
        if variable == "page-first":
            return numbers.first_page(str(page))
        return page_ranges(element, str(page), True)
    if variable == "year-suffix":
        suffix = disambiguation(item.bibliography).suffixes.get(item.key)
        return richtext.wrap(richtext.YEAR_SUFFIX, suffix) if suffix and not usage(item).disambiguating else None
    value = item.reference.get(variable.replace("-", "_"))
    if not has_value(value):
        return None
    if type(value) is list:  # a names variable (citeproc-py's strings are list subclasses)
        return None
    return str(value)


def page_ranges(element: Any, text: str, pages: bool) -> str:
    """Ranges with the locale's page-range-delimiter (pages) or an en dash, in the style's
    page-range-format (pages only); '&' becomes the locale's and-symbol."""
    root = element.get_root()
    delimiter = (element.term_text("page-range-delimiter") if pages else "") or "–"
    range_format = root.get("page-range-format") if pages else None
    and_symbol = element.term_text("and", "symbol") or "&"
    return numbers.format_ranges(text, range_format, delimiter, and_symbol)


class Number(CachedLookups, Marked, model.Number):  # type: ignore[misc]
    """cs:number.  Corrections: a non-numeric value is printed verbatim (markup included);
    ranges keep their separators; empty values count for cs:group."""

    def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        variable = self.get("variable")
        used = usage(item)
        if variable in used.suppressed:
            return used.count(variable, None)
        if variable == "locator":
            value = str(item["locator"].identifier) if "locator" in item else None
        elif variable == "citation-number":
            value = str(item.number)
        else:
            value = item.reference.get(variable.replace("-", "_"))
            value = str(value) if has_value(value) else None
        if value is None:
            return used.count(variable, None)
        if not numbers.is_numeric(richtext.unparse(value)):
            return used.count(variable, richtext.unparse(value))
        parts = re.split(r"(\s*[-–,&]\s*)", richtext.plain(value))
        out = []
        for index, part in enumerate(parts):
            if index % 2:
                separator = part.strip()  # a numeric range takes an en dash ("3–4")
                out.append({"-": "–", "–": "–", ",": ", ", "&": " & "}.get(separator, part))
            else:
                out.append(self.format_number(part))
        if variable == "page" or variable == "locator":
            text = "".join(out)
            return used.count(variable, page_ranges(self, text, variable == "page"))
        return used.count(variable, "".join(out))

    def format_number(self, number: Any) -> str:
        match = re.fullmatch(r"([a-z]*)(\d+)([a-z]*)", str(number), re.IGNORECASE)
        if not match or (match.group(1) and match.group(3)):
            return str(number)
        prefix, digits, suffix = match.groups()
        value = int(digits)
        form = self.get("form", "numeric")
        if form == "ordinal" or (form == "long-ordinal" and value > 10):
            text = model.to_ordinal(value, self)
        elif form == "long-ordinal":
            text = self.term_text(f"long-ordinal-{value:02}") or model.to_ordinal(value, self)
        elif form == "roman":
            text = model.romanize(value).lower()
        else:
            text = str(value)
        return prefix + str(text) + suffix

    def markup(self, text: Any) -> Any:
        return self.decorate(text, quotes=False)


class Label(CachedLookups, Marked, model.Label):  # type: ignore[misc]
    """cs:label.  Corrections: silent when its variable is empty; plural when the value is a
    range or list (not for an escaped hyphen); number-of-* variables are plural above one;
    forms fall back (verb-short -> verb -> long)."""

    def process(self, item: Any, variable: Any = None, plural: Any = None, **kwargs: Any) -> Any:
        own = variable is None
        if own:
            variable = self.get("variable")
            if variable == "locator":
                if "locator" not in item:
                    return None
                variable = item["locator"].label
                value = str(item["locator"].identifier)
            else:
                value = item.reference.get(variable.replace("-", "_"))
                if not has_value(value) or variable in usage(item).suppressed:
                    return None
                value = str(value)
            if plural is None and variable.startswith("number-of-"):
                count = re.match(r"\s*(\d+)", value)
                plural = bool(count) and int(count.group(1)) > 1  # type: ignore[union-attr]
            elif plural is None:
                plural = numbers.is_plural(value, self.term_text("and"))
        option = self.get("plural", "contextual")
        plural = option == "always" or (option == "contextual" and bool(plural))
        term = {"number-of-pages": "page", "number-of-volumes": "volume"}.get(variable, variable)
        text = self.term_text(term, self.get("form", "long"), plural)
        return text or None

    def markup(self, text: Any) -> Any:
        return self.decorate(text, quotes=False)


class Group(Children, Marked, model.Group):  # type: ignore[misc]
    """cs:group.  Correction: suppressed when it calls variables and none of them renders,
    counting the variables actually called (citeproc-py counts any child that might call one,
    so a group holding a group of terms was kept, and a group whose variable was empty inside
    a macro was kept too)."""

    def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
        return compiled(self)(item, context, kwargs.get("sort_options"))

    def compile_render(self, delimiter: str) -> Render:
        found = look(self)
        render_children = compiled_children(self, found.delimiter or "")

        def group(item: Any, context: Any, sort_options: Any) -> Any:
            used = usage(item)
            called, rendered = used.called, used.rendered
            text = render_children(item, context, sort_options)
            if not text or (used.called > called and used.rendered == rendered):
                return None  # (suppressed)
            for pair in found.fonts:
                text = pair[0] + text + pair[1]
            return wrap(found, text)

        return group


class Macro(Children, model.Macro):  # type: ignore[misc]
    def process(self, item: Any, context: Any = None, sort_options: Any = None, **kwargs: Any) -> Any:
        return self.render_children(item, context=context, sort_options=sort_options)

    def render(self, item: Any, context: Any = None, sort_options: Any = None, **kwargs: Any) -> Any:
        return self.render_children(item, context=context, sort_options=sort_options)


def holds_date(macro: Any) -> bool:
    """Whether a cs:macro has a cs:date among its descendants (not counting macros it calls),
    as citeproc-js marks it; found once."""
    found = macro.__dict__.get("_holds_date")
    if found is None:
        found = macro.__dict__["_holds_date"] = macro.find(".//cs:date", macro.nsmap) is not None
    return bool(found)


def dates_only(item: Any, render: Callable[[], Any]) -> str | None:
    """What a macro holding a cs:date gives a sort key in citeproc-js: the sort keys of the
    dates it renders (``Date.sort_key``) and nothing else, so that "68 AD" sorts after
    "100 BC" and a macro's "n.d." or other words do not count.  A date macro called from one
    adds its dates to the outer macro's."""
    used = usage(item)
    if used.date_keys is not None:
        render()
        return None
    used.date_keys = []
    try:
        render()
        keys = used.date_keys
    finally:
        used.date_keys = None
    return "".join(keys) or None


class Choose(model.Choose):  # type: ignore[misc]
    """cs:choose: the first branch whose conditions hold renders (citeproc-py tries each
    branch and catches an exception from each that fails, for every item)."""

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        return compiled(self, delimiter)(item, context, kwargs.get("sort_options"))

    def compile_render(self, delimiter: str) -> Render:
        branches: list[tuple[Any, Render]] = []
        for branch, _ in children(self):
            if isinstance(branch, If):
                branches.append((branch.holds, compiled_children(branch, delimiter)))
            else:
                branches.append((None, compiled(branch, delimiter)))  # cs:else

        def choose(item: Any, context: Any, sort_options: Any) -> Any:
            for holds, render in branches:
                if holds is None or holds(item, context):
                    return render(item, context, sort_options)
            return None

        return choose


class If(Children, model.If):  # type: ignore[misc]
    """cs:if / cs:else-if.  Corrections: positions come from the document (``positions``);
    ``disambiguate`` is true only for ambiguous cites (``disambiguation``; citeproc-py made
    it always true); ``variable`` is false for an empty value or a substituted one;
    ``is-numeric`` follows CSL's definition; ``match`` applies across all tests."""

    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        if not self.holds(item, context):
            raise model.ConditionFailed
        return self.render_children(item, delimiter, context, kwargs.get("sort_options"))

    def holds(self, item: Any, context: Any) -> bool:
        tests, match = self._tests()
        # (plain loops: this runs for every branch tried, for every item)
        if match == "any" or match == "none":
            for test, value in tests:
                if test(self, item, value, context):
                    return match == "any"
            return match == "none"
        for test, value in tests:
            if not test(self, item, value, context):
                return False
        return True

    def _tests(self) -> tuple[tuple[tuple[Any, str], ...], str]:
        """(test, value) for every value of every condition attribute, and the match rule:
        read once per element."""
        found: tuple[tuple[tuple[Any, str], ...], str] | None = self.__dict__.get("_conditions")
        if found is None:
            cls = type(self)
            tests = tuple(
                (test, value)
                for attribute, test in (
                    ("type", cls._is_type), ("variable", cls._has_variable), ("is-numeric", cls._numeric),
                    ("is-uncertain-date", cls._uncertain), ("locator", cls._has_locator),
                    ("position", cls._at_position), ("disambiguate", cls._ambiguous),
                )  # fmt: skip
                if attribute in self.attrib
                for value in self.get(attribute).split()
            )
            found = tests, self.get("match", "all")
            self.__dict__["_conditions"] = found
        return found

    def _is_type(self, item: Any, value: str, context: Any) -> bool:
        return bool(item.reference["type"] == value)

    def _has_variable(self, item: Any, value: str, context: Any) -> bool:
        if value == "locator":
            return "locator" in item
        if value in usage(item).suppressed:
            return False
        if value == "first-reference-note-number":
            position = item.get("position_info")
            return bool(position and position.first_note is not None)
        if value in ("citation-number",):
            return True
        if value == "year-suffix":
            return item.key in disambiguation(item.bibliography).suffixes
        return has_value(item.reference.get(value.replace("-", "_")))

    def _numeric(self, item: Any, value: str, context: Any) -> bool:
        if value == "locator":
            return "locator" in item and numbers.is_numeric(str(item["locator"].identifier))
        found = item.reference.get(value.replace("-", "_"))
        return has_value(found) and numbers.is_numeric(richtext.plain(str(found)))

    def _uncertain(self, item: Any, value: str, context: Any) -> bool:
        date = item.reference.get(value.replace("-", "_"))
        return bool(date is not None and hasattr(date, "get") and date.get("circa"))

    def _has_locator(self, item: Any, value: str, context: Any) -> bool:
        if "locator" not in item:
            return False
        label = item["locator"].label
        return bool(label == value or (value == "sub-verbo" and label == "sub verbo"))

    def _ambiguous(self, item: Any, value: str, context: Any) -> bool:
        flagged = item.key in disambiguation(item.bibliography).flagged
        return flagged == (value == "true")

    def _at_position(self, item: Any, value: str, context: Any) -> bool:
        if _in_bibliography(self if context is None else context):
            return False  # positions are a citation's
        position = item.get("position_info") if isinstance(item, dict) else None
        return (position or Position()).test(value)


def _in_bibliography(element: Any) -> bool:
    while element is not None:
        if element.tag.endswith("}bibliography"):
            return True
        element = element.getparent()
    return False


class Else_If(If, model.Else_If):  # type: ignore[misc]  # noqa: N801 (citeproc-py's class name)
    pass


class Else(Children, model.Else):  # type: ignore[misc]
    def render(self, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        return self.render_children(item, delimiter, context, kwargs.get("sort_options"))

    def compile_render(self, delimiter: str) -> Render:
        return compiled_children(self, delimiter)


# --- names ------------------------------------------------------------------------------


class Names(CachedLookups, Marked, model.Names):  # type: ignore[misc]
    """cs:names (see ``names``).  Corrections: hyphenated variables; ed./trans. combined only
    when identical; the count form; labels; et-al from cs:et-al; substitution inherits the
    parent's cs:name/cs:et-al/cs:label and suppresses what it rendered."""

    def process(self, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any) -> Any:
        used = usage(item)
        if used.suppress_names:  # a collapsed cite ("Doe 2000, 2001"): no names
            used.suppress_names = False
            return None
        text = render_names(self, item, self if names_context is None else names_context, context, **kwargs)
        if text is None:
            substitute = self._substitute()
            text = substitute.render(item, context=context, names=self, **kwargs) if substitute is not None else None
            if text and richtext.NAMES[0] not in text:  # what stands in for the names counts as
                text = richtext.wrap(richtext.NAMES, richtext.wrap(richtext.NAME, text))  # them (author substitute)
        return text

    def render(self, item: Any, **kwargs: Any) -> Any:
        text = self.process(item, **kwargs)
        return self.wrap(self.format(text)) if text else None

    def _substitute(self) -> Any:
        """The cs:substitute child, or None (found once)."""
        if "_substitute_child" not in self.__dict__:
            self.__dict__["_substitute_child"] = self.find("cs:substitute", self.nsmap)
        return self.__dict__["_substitute_child"]


class Name(CachedLookups, Marked, model.Name):  # type: ignore[misc]
    pass


class Name_Part(Marked, model.Name_Part):  # type: ignore[misc]  # noqa: N801
    pass


class Et_Al(CachedLookups, Marked, model.Et_Al):  # type: ignore[misc]  # noqa: N801
    pass


class Substitute(Children, model.Substitute):  # type: ignore[misc]
    """cs:substitute.  Corrections: a cs:names child without its own cs:name takes the parent's
    cs:name, cs:et-al and cs:label; the first child that renders (or calls no variable) wins;
    every variable it renders is suppressed for the rest of the entry."""

    def render(self, item: Any, context: Any = None, names: Any = None, **kwargs: Any) -> Any:
        used = usage(item)
        used.substituting += 1
        try:
            for child in self.iterchildren():
                called = used.called
                try:
                    if isinstance(child, model.Names):
                        text = child.render(item, names_context=_inherit(child, names), context=context, **kwargs)
                    else:
                        text = child.render(item, context=context, **kwargs)
                except VariableError:
                    text = None
                if text:
                    return text
                if used.called == called:
                    # A term or fixed text stands in for the names (citeproc-js keeps the
                    # group around it), even when the term is empty.
                    used.rendered += 1
                    return None
            return None
        finally:
            used.substituting -= 1


def _inherit(child: Any, parent: Any) -> Any:
    """The element whose cs:name, cs:et-al and cs:label a substituted cs:names uses."""
    if parent is None or child.find("cs:name", child.nsmap) is not None:
        return child
    return parent


# --- layout -----------------------------------------------------------------------------


class Layout(Children, Marked, model.Layout):  # type: ignore[misc]
    """cs:layout.  Corrections: cites keep their order unless the style sorts them (citeproc-py
    sorted them by bibliography order); cite prefixes and suffixes may hold markup; a prefix
    that starts with punctuation replaces the delimiter; positions come from the document;
    in note styles a cite that starts with a term is capitalized (Ibid.) at the start of a
    note or after a sentence; subsequent-author-substitute and second-field-align in the
    bibliography."""

    def render_citation(self, citation: Any, callback: Any) -> Any:
        bibliography = citation.bibliography
        good = [cite for cite in citation.cites if not cite.is_bad()]
        bad = [cite for cite in citation.cites if cite.is_bad()]
        sort = self.getparent().find("cs:sort", self.nsmap)
        if sort is not None:
            good = sort.sort(good, self)
        tracker = bibliography.__dict__.setdefault("positions", Tracker(_near_note_distance(self)))
        tracker.assign(good, int(citation.get("note_index", 0) or 0))
        note_style = self.get_root().get("class") == "note"
        citation_element = self.getparent()
        # What collapsing and grouping compare is worked out only when they can happen.
        collapsing = len(good) > 1 and bool(citation_element.get("collapse") or citation_element.get("cite-group-delimiter"))
        rendered: list[RenderedCite] = []
        for cite in good:
            reset_usage(cite)
            text = self.render_children(cite) or _NO_PRINTED_FORM
            prefix = richtext.parse_markup(cite.get("prefix", ""))
            suffix = richtext.parse_markup(cite.get("suffix", ""))
            before = rendered[-1].text if rendered and not prefix else ""
            if note_style and _starts_sentence(prefix, before):
                text = capitalize_term(text)
            text = strip_term_markers(SEAM + prefix + SEAM + text + SEAM + suffix + SEAM)
            if not collapsing:
                rendered.append(RenderedCite(cite, text, ""))
                continue
            found = richtext.first_names(text)
            rendered.append(RenderedCite(
                cite, text, richtext.plain(text[found[0] : found[1]]) if found else "",
                year=_issued_year(cite), suffix=disambiguation(bibliography).suffixes.get(cite.key),
                number=cite.number if re.sub(r"\D", "", richtext.plain(text)) == str(cite.number) else None,
                locator="locator" in cite,
            ))  # fmt: skip
        pieces = self._join_cites(rendered)
        out = "".join(SEAM + before + SEAM + text for before, text in pieces)
        delimiter = self.get("delimiter", "")
        for cite in bad:
            out += (SEAM + delimiter + SEAM if out else "") + (callback(cite) or f"{cite.key}?")
        return self.format(self.wrap(out)) if out else None

    def _join_cites(self, rendered: list[RenderedCite]) -> list[tuple[str, str]]:
        """(delimiter, text) for each cite: the layout delimiter (none before a prefix that
        starts with punctuation), or the citation's collapsing."""
        citation = self.getparent()
        delimiter = self.get("delimiter", "")
        how = citation.get("collapse") or ""
        group = citation.get("cite-group-delimiter")
        if (how or group) and len(rendered) > 1:
            if how != "citation-number" and citation.find("cs:sort", self.nsmap) is not None:
                rendered = group_by_names(rendered)  # a sorted citation keeps an author's cites together
            if how not in ("", "citation-number"):
                for cite in rendered:
                    if cite.names:
                        reset_usage(cite.cite).suppress_names = True
                        cite.short = self.render_children(cite.cite)
            delimiters = {
                "layout": delimiter, "cite-group": group or ", ",
                "year-suffix": citation.get("year-suffix-delimiter") or group or delimiter,
                "after-collapse": citation.get("after-collapse-delimiter") or delimiter,
            }  # fmt: skip
            return collapse(rendered, how, delimiters)
        pieces: list[tuple[str, str]] = []
        previous_suffix = ""
        for cite in rendered:
            prefix = richtext.plain(richtext.parse_markup(cite.cite.get("prefix", "")))
            joiner = delimiter
            if re.match(r"[,.;:]", prefix):
                joiner = ""  # the prefix's own punctuation replaces the delimiter
            elif re.search(r"[,.;:!?]$", previous_suffix):
                joiner = delimiter.lstrip(",.;:")  # "is one source," then no "; "
            pieces.append(("" if not pieces else joiner, cite.text))
            previous_suffix = richtext.plain(cite.cite.get("suffix", "")).rstrip()
        return pieces

    def render_bibliography(self, citation_items: Any) -> Any:
        bibliography = self.getparent()
        substitute = bibliography.get("subsequent-author-substitute")
        rule = bibliography.get("subsequent-author-substitute-rule", "complete-all")
        second_field = bibliography.get("second-field-align")
        previous_names: list[str] | None = None
        entries = []
        for item in citation_items:
            reset_usage(item)
            parts = self._parts(item)
            if not parts:
                continue
            text = parts[0] + _SPLIT + SEAM.join(parts[1:])
            if substitute is not None:
                text, previous_names = substitute_author(text, previous_names, substitute, rule)
            if second_field and len(parts) > 1:
                # The first element goes in the margin; the layout's affixes go inside the
                # two columns, as citeproc-js prints them.
                first, rest = text.split(_SPLIT)
                prefix, suffix = self.get("prefix", ""), self.get("suffix", "")
                text = richtext.wrap(richtext.LEFT_MARGIN, SEAM + prefix + SEAM + first)
                text += richtext.wrap(richtext.RIGHT_INLINE, SEAM + rest + SEAM + suffix + SEAM)
                entries.append(self.format(strip_term_markers(text)))
                continue
            text = text.replace(_SPLIT, SEAM)
            entries.append(self.format(self.wrap(strip_term_markers(text))))
        return entries

    def _parts(self, item: Any) -> list[str]:
        parts = []
        for child, _ in children(self):
            try:
                text = compiled(child)(item, None, None)
            except VariableError:
                continue
            if text:
                parts.append(text)
        return parts

    def sort_bibliography(self, citation_items: Any) -> Any:
        sort = self.getparent().find("cs:sort", self.nsmap)
        return sort.sort(citation_items, self) if sort is not None else citation_items


_SPLIT = "\ue0fe"  # where an entry's first element ends (second-field-align)
# What citeproc-js prints for a cite that renders nothing.
_NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"


def _issued_year(cite: Any) -> Any:
    issued = cite.reference.get("issued")
    if isinstance(issued, dict) and "begin" in issued:
        issued = issued["begin"]
    return issued.get("year") if isinstance(issued, dict) else None


def _near_note_distance(element: Any) -> int:
    citation = element.get_root().find("cs:citation", element.nsmap)
    return int(citation.get("near-note-distance", "5")) if citation is not None else 5


def _starts_sentence(prefix: str, before: str) -> bool:
    """A cite starts a sentence at the start of a note, or after a prefix (or a preceding
    cite) of more than one word that ends a sentence."""
    preceding = richtext.plain(prefix or before).rstrip()
    if not preceding:
        return not before
    # a sentence, not a lone abbreviation ("Cf." stays "Cf. ibid.")
    return " " in preceding and bool(re.search(r"[.!?][”’\"')\]]*$", preceding))


def capitalize_term(text: str) -> str:
    """Capitalize a term that opens the text (TERM markers mark terms)."""
    match = re.match(f"^((?:[{SEAM}\ue000-\ue01e\ue030-\ue037])*){richtext.TERM[0]}", text)
    if not match:
        return text
    start = match.end()
    return text[:start] + capitalise(text[start:])


def strip_term_markers(text: str) -> str:
    return text.replace(richtext.TERM[0], "").replace(richtext.TERM[1], "")


def substitute_author(text: str, previous: list[str] | None, substitute: str, rule: str) -> tuple[str, list[str] | None]:
    """subsequent-author-substitute: the first cs:names of an entry, when it repeats the
    previous entry's, becomes ``substitute`` (rule: complete-all, complete-each, partial-each,
    partial-first)."""
    found = richtext.first_names(text)
    if found is None:
        return text, None
    start, end, names = found
    plain = [richtext.plain(n) for n in names]
    if previous is None:
        return text, plain
    if rule == "complete-all":
        if plain == previous:
            return text[:start] + substitute + text[end:], plain
        return text, plain
    replaced, count = richtext.replace_names(text[start:end], previous, substitute, rule)
    if count == 0:
        return text, plain
    return text[:start] + replaced + text[end:], plain


_NAME_VARIABLES_SORTED = frozenset(
    "author chair collection_editor compiler composer container_author contributor curator director editor "
    "editorial_director executive_producer guest host illustrator interviewer narrator organizer original_author "
    "performer producer recipient reviewed_author script_writer series_creator translator".split()
)


def _sort_key_text(value: Any) -> Any:
    return richtext.plain(str(value)) if isinstance(value, str) else value


class Key(CachedLookups, model.Key):  # type: ignore[misc]
    """cs:key.  Corrections: sort keys from macros are plain text (no markers); an empty key
    sorts last; names sort keys use the names rendering."""

    def sort_keys(self, items: Any, context: Any) -> Any:
        if "macro" in self.attrib:
            layout = context.get_layout()
            # citeproc-js writes a sort key's names family first, a separator between family and
            # given names whatever the style's sort-separator (here a space, which sort_key
            # turns into its separator), joined by the delimiter alone.
            options = {"name-as-sort-order": "all", "sort-separator": " "}
            for option in ("names-min", "names-use-first", "names-use-last"):
                if option in self.attrib:
                    options[option.replace("names", "et-al")] = self.get(option)
            macro = self.get_macro(self.get("macro"))
            dated = holds_date(macro)
            keys = []
            for item in items:
                reset_usage(item)
                layout.repressed = {}
                if dated:
                    text = dates_only(item, lambda: macro.render(item, context=context, sort_options=options))
                else:
                    text = macro.render(item, context=context, sort_options=options)
                keys.append(_sort_key_text(text) or None)
            return keys
        variable = self.get("variable", "")
        if variable.replace("-", "_") in _NAME_VARIABLES_SORTED or variable in _NAME_VARIABLES_SORTED:
            demote = self.get_root().get("demote-non-dropping-particle", "display-and-sort")
            return [names_sort_key(item.reference.get(variable.replace("-", "_")), demote) for item in items]
        return [_sort_key_text(k) for k in super().sort_keys(items, context)]


class Sort(model.Sort):  # type: ignore[misc]
    """cs:sort.  Correction: keys compare as citeproc-js compares them (``collation``: case,
    diacritics and punctuation ignored, word by word, numbers as numbers); an empty key sorts
    last (descending too); equal keys keep the input order."""

    def sort(self, items: Any, context: Any) -> Any:
        keys = self.findall("cs:key", self.nsmap)
        known: dict[Any, str | None] = {}  # (one text is often two keys: a title, by macro and by variable)

        def comparable(value: Any) -> str | None:
            return remembered(known, lambda: value, lambda: sort_key(value), limit=None)

        rows = list(zip(items, *([comparable(k) for k in key.sort_keys(items, context)] for key in keys)))
        # One stable sort per key, the last key first: the order of comparing key by key.
        for index in range(len(keys), 0, -1):
            descending = keys[index - 1].get("sort", "ascending") == "descending"
            rows.sort(key=_empty_last(index, descending), reverse=descending)
        return [row[0] for row in rows]


def _empty_last(index: int, descending: bool) -> Callable[[tuple[Any, ...]], tuple[bool, Any]]:
    """The sort key of column ``index``, with empty keys (None) last either way (a descending
    sort is reversed, so they rank first before it)."""
    if descending:
        return lambda row: (row[index] is not None, row[index])
    return lambda row: (row[index] is None, row[index])


class Citation(model.Citation):  # type: ignore[misc]
    """cs:citation, with its cs:layout found once (citeproc-py finds it for every cite)."""

    def render(self, citation: Any, cites: Any, callback: Any) -> Any:
        self.cites = cites
        layout = self.__dict__.get("_layout")
        if layout is None:
            layout = self.__dict__["_layout"] = self.find("cs:layout", self.nsmap)
        return layout.render_citation(citation, callback)


ELEMENT_CLASSES: tuple[type, ...] = (
    Style, Citation, Choose, Text, Number, Label, Group, Macro, If, Else_If, Else, Date,
    Names, Name, Name_Part, Et_Al, Substitute, Layout, Key, Sort,
)  # fmt: skip

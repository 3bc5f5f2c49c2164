"""Disambiguation steps 3 and 4 of CSL 1.0.2, and citation collapsing.

citeproc-py does no disambiguation: ``disambiguate="true"`` was always true (MLA cites
always carried the title) and no year-suffix was ever added.  Here, over the registered
items (the document's bibliography):

* cites are ambiguous when their first-position renderings, locator-free, are the same
  text (access dates left out, as citeproc-js does: two undated works by one author are
  "Doe n.d." whatever their access dates);
* step 3: ambiguous items take the ``disambiguate="true"`` branches, and are compared again;
* step 4 (``disambiguate-add-year-suffix``): items still ambiguous get "a", "b", ... in
  bibliography order ("z" is followed by "aa").  The suffix goes where the style renders
  the ``year-suffix`` variable, or else after the first year of "issued".

Steps 1 and 2 (adding names and given names) are not implemented.

Collapsing (``collapse`` on cs:citation) groups the cites with the same names (the first
of them decides where the group stands) and joins them: "year" -> "Doe 2000, 2001";
"year-suffix" -> "Doe 2000a, b"; "year-suffix-ranged" -> "Doe 2000a–c"; "citation-number"
-> "[1–3]".  ``cite-group-delimiter`` alone groups without collapsing.  After a cite with
a locator, or a run of year-suffixes, the after-collapse-delimiter follows (citeproc-js).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import richtext


@dataclass
class Disambiguation:
    flagged: set[str] = field(default_factory=set)  # items taking disambiguate="true"
    suffixes: dict[str, str] = field(default_factory=dict)  # item key -> year-suffix
    explicit_suffix: bool = False  # the style renders year-suffix itself


def suffix_letters(index: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa", 27 -> "ab"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def disambiguation(engine: Any) -> Disambiguation:
    """The engine's disambiguation, computed once over its registered items."""
    found = engine.__dict__.get("disambiguation")
    if found is None:
        found = Disambiguation()
        engine.__dict__["disambiguation"] = found  # before rendering: keys render without it
        _compute(engine, found)
    return found  # type: ignore[no-any-return]


def _compute(engine: Any, result: Disambiguation) -> None:
    from citeproc import Citation

    from .base import CitedItem

    root = engine.style.root
    citation = root.find("cs:citation", root.nsmap)
    if citation is None:
        return
    uses_condition, add_suffix, result.explicit_suffix = style_options(root)
    if not (uses_condition or add_suffix):
        return
    layout = citation.find("cs:layout", root.nsmap)

    def key(item_key: str) -> str:
        cite = CitedItem(item_key)
        Citation([cite]).bibliography = engine
        from .base import reset_usage

        reset_usage(cite).disambiguating = True
        return richtext.plain(str(layout.render_children(cite) or ""))

    order = list(engine.keys)
    rendered = {k: key(k) for k in order}
    groups = _ambiguous(order, rendered)
    if groups and uses_condition:
        for group in groups:
            result.flagged.update(group)
        rendered.update({k: key(k) for group in groups for k in group})
        groups = _ambiguous(order, rendered)
    if add_suffix:
        for group in groups:
            for index, item_key in enumerate(group):
                result.suffixes[item_key] = suffix_letters(index)


def style_options(root: Any) -> tuple[bool, bool, bool]:
    """Whether the style tests ``disambiguate``, adds year-suffixes, and renders the
    year-suffix itself (cached on the style: a style is parsed once, rendered often)."""
    store = root.cache()
    if "disambiguation" not in store:
        condition = bool(root.xpath("//*[@disambiguate='true']", namespaces=root.nsmap))
        citation = root.find("cs:citation", root.nsmap)
        suffix = citation is not None and citation.get("disambiguate-add-year-suffix") == "true"
        explicit = bool(root.xpath("//cs:text[@variable='year-suffix']", namespaces=root.nsmap))
        store["disambiguation"] = (condition, suffix, explicit)
    return store["disambiguation"]  # type: ignore[no-any-return]


def _ambiguous(order: list[str], rendered: dict[str, str]) -> list[list[str]]:
    by_text: dict[str, list[str]] = {}
    for item_key in order:
        by_text.setdefault(rendered[item_key], []).append(item_key)
    return [group for group in by_text.values() if len(group) > 1]


# --- collapsing ------------------------------------------------------------------------


@dataclass
class RenderedCite:
    cite: Any
    text: str
    names: str  # plain text of the cite's first names ("" without names), for grouping
    year: Any = None
    suffix: str | None = None
    number: int | None = None
    short: str | None = None  # the cite without its names (for collapsing)
    locator: bool = False


def group_by_names(cites: list[RenderedCite]) -> list[RenderedCite]:
    """Cites with the same names moved up to the first of them ("Smith 2003, 2010; Jones")."""
    order: dict[str, list[RenderedCite]] = {}
    for cite in cites:
        order.setdefault(cite.names, []).append(cite)
    return [cite for group in order.values() for cite in group]


def collapse(cites: list[RenderedCite], how: str, delimiters: dict[str, str]) -> list[tuple[str, str]]:
    """The pieces of a citation whose cites are grouped by names (and collapsed as ``how``
    says, "" for grouping only): (delimiter before it, text)."""
    if how == "citation-number":
        return _collapse_numbers(cites, delimiters)
    out: list[tuple[str, str]] = []
    after_group = False
    index = 0
    while index < len(cites):
        group = [cites[index]]
        while index + len(group) < len(cites) and cites[index + len(group)].names == group[0].names:
            group.append(cites[index + len(group)])
        before = (delimiters["after-collapse"] if after_group else delimiters["layout"]) if out else ""
        pieces = [(before, group[0].text, group[0].suffix)]
        suffix_only = False
        for previous, cite in zip(group, group[1:]):
            if how not in ("", "year") and cite.suffix and previous.suffix and cite.year == previous.year and not previous.locator:
                pieces.append((delimiters["year-suffix"], _suffix_text(cite), cite.suffix))
                suffix_only = True
                continue
            # after a cite with a locator, or a run of year-suffixes, the group pauses
            pause = previous.locator or suffix_only
            pieces.append((delimiters["after-collapse"] if pause else delimiters["cite-group"], cite.short or cite.text, None))
            suffix_only = False
        if how == "year-suffix-ranged":
            pieces = _range_suffixes(pieces)
        out.extend((before, text) for before, text, _ in pieces)
        after_group = len(group) > 1 and bool(how)
        index += len(group)
    return out


def _suffix_text(cite: RenderedCite) -> str:
    found = re.search(f"{richtext.YEAR_SUFFIX[0]}(.*?){richtext.YEAR_SUFFIX[1]}", cite.text)
    return found.group(1) if found else (cite.suffix or "")


def _range_suffixes(pieces: list[tuple[str, str, str | None]]) -> list[tuple[str, str, str | None]]:
    """Three or more consecutive year-suffixes become a range ("2015c–e")."""
    out: list[tuple[str, str, str | None]] = []
    index = 0
    while index < len(pieces):
        end = index
        while (
            end + 1 < len(pieces) and pieces[end][2] and pieces[end + 1][2] and len(pieces[end + 1][2] or "") == 1
            and ord(pieces[end + 1][2] or "a") == ord((pieces[end][2] or "a")[-1]) + 1 and pieces[end + 1][1] == pieces[end + 1][2]
        ):  # fmt: skip
            end += 1
        if end - index >= 2:
            out.append(pieces[index])
            out.append(("–", pieces[end][1], pieces[end][2]))
        else:
            out.extend(pieces[index : end + 1])
        index = end + 1
    return out


def _collapse_numbers(cites: list[RenderedCite], delimiters: dict[str, str]) -> list[tuple[str, str]]:
    """Three or more consecutive citation numbers become a range ("1–3")."""
    out: list[tuple[str, str]] = []
    index = 0
    while index < len(cites):
        end = index
        while end + 1 < len(cites) and cites[end].number is not None and cites[end + 1].number == (cites[end].number or 0) + 1:
            end += 1
        first = delimiters["layout"] if out else ""
        if end - index >= 2:
            out += [(first, cites[index].text), ("–", cites[end].text)]
        else:
            out += [(first if i == index else delimiters["layout"], cites[i].text) for i in range(index, end + 1)]
        index = end + 1
    return out

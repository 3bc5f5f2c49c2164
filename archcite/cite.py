"""Paste-ready Chicago and MLA citations of documents and excerpts.

A form names a style and what to ask of it: a first note, a subsequent (short)
note, a bibliography entry, an MLA works-cited entry or an in-text citation.
Records become CSL-JSON (``formats.csl_json``), archcite's own styles in
``styles/`` lay them out, and ``render`` (citeproc-py plus its corrections)
prints them in the markup asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .errors import FormatError
from .formats import ExportOptions, Item
from .forms import FORMS, CitationForm, get_form
from .markup import MARKUPS, rtf_document


def cite(items: Sequence[Item], form: str = "chicago-note", markup: str = "text", locator: str | None = None) -> list[str]:
    """One citation per item (notes, in-text citations), or the sorted entries of a
    bibliography (excerpts replaced by their documents, each document once).

        >>> from archcite import Collection
        >>> item = Collection("records").select("wcda-114978:p19-20")      # doctest: +SKIP
        >>> cite([item], "chicago-note", locator="19")[0]                   # doctest: +SKIP
        '“Conversation between Kim Il Sung and N. S. Khrushchev,” June 17, 1960, in ...'
    """
    from .formats.csl_json import to_csl
    from .render import render

    chosen = get_form(form)
    if markup not in MARKUPS:
        raise FormatError(f"unknown markup {markup!r}; choose one of: {', '.join(MARKUPS)}")
    if chosen.mode == "bibliography" and locator:
        raise FormatError(f"a locator goes with a note or an in-text citation, not with {chosen.description}")
    for item in items:
        _check_citable(item)
    if chosen.mode == "bibliography":
        documents = {item.document.id: Item(item.document) for item in items}
        entries = render(chosen.style, [to_csl(i) for i in documents.values()], mode="bibliography", markup=markup)
    else:
        entries = [_one_citation(item, chosen, markup, locator, to_csl, render) for item in items]
    if chosen.drop_url_scheme:
        entries = [drop_url_scheme(entry) for entry in entries]
    return entries


def _one_citation(item: Item, form: CitationForm, markup: str, locator: str | None, to_csl: Any, render: Any) -> str:
    cited = item
    if form.cite_document and item.excerpt is not None:
        # MLA in-text: the works-cited entry is the document's, so the cite names
        # the document and points at the excerpt's pages.
        cited = Item(item.document)
        locator = locator or item.excerpt.pages
    cite_: dict[str, Any] = {"id": cited.id}
    if locator:
        cite_["locator"] = str(locator)
        cite_["label"] = "page"
    clusters = [[{"id": cited.id}], [cite_]] if form.subsequent else [[cite_]]
    return str(render(form.style, [to_csl(cited)], clusters, mode="citation", markup=markup)[-1])


def _check_citable(item: Item) -> None:
    date = item.excerpt.date if item.excerpt and item.excerpt.date else item.document.date
    if date is None:
        raise FormatError(
            f"{item.id} has no date, which Chicago and MLA need to cite an archival document; "
            f"add `date:` to its record (YYYY-MM-DD, YYYY-MM, YYYY, or YYYY~ when approximate)"
        )


def drop_url_scheme(text: str) -> str:
    """MLA 9 (2.110) prints URLs without http:// or https://."""
    return re.sub(r"\bhttps?://(?=\S)", "", text)


def join_entries(entries: Sequence[str], markup: str, form: str) -> str:
    """Entries as one paste-ready text: lines, HTML paragraphs, or one RTF document."""
    if markup == "rtf":
        return rtf_document(entries, hanging_indent=get_form(form).mode == "bibliography")
    if markup == "html":
        return "".join(f'<div class="csl-entry">{entry}</div>\n' for entry in entries)
    separator = "\n\n" if markup == "markdown" else "\n"
    return separator.join(entries) + "\n"


def dump(items: Sequence[Item], options: ExportOptions, form: str) -> str:
    """The registry's entry point for the citation forms."""
    return join_entries(cite(items, form, options.markup, options.locator), options.markup, form)

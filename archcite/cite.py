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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import FormatError
from .formats import ExportOptions, Item, items_given
from .forms import FORMS, CitationForm, get_form
from .markup import MARKUPS, rtf_document

if TYPE_CHECKING:
    from .models import Document


# What a record's date may be, for the messages that ask for one.
DATE_FORMS = "(YYYY-MM-DD, YYYY-MM, YYYY, or YYYY~ when approximate)"


@dataclass(frozen=True)
class Citable:
    """An item as citing needs it, in plain data: its CSL-JSON, its document's CSL-JSON
    (a bibliography and MLA's in-text citations name the document), the excerpt's pages,
    and whether it has a date.  Plain data, so that a cached record can be cited without
    importing the models (archcite.record_cache)."""

    id: str
    csl: dict[str, Any]
    document_csl: dict[str, Any]
    pages: str | None = None
    dated: bool = True
    source: str | None = None  # the file it was read from, when not from the records folder

    @property
    def document_id(self) -> str:
        return str(self.document_csl["id"])

    @property
    def is_excerpt(self) -> bool:
        return self.id != self.document_id

    @classmethod
    def of(cls, item: Item, document_csl: dict[str, Any] | None = None, source: str | None = None) -> Citable:
        """``document_csl``: the document's CSL-JSON, when the caller has it already;
        ``source``: the file the item was read from, named by errors about it."""
        from .formats.csl_json import to_csl

        if document_csl is None:
            document_csl = to_csl(Item(item.document))
        if item.excerpt is None:
            return cls(item.id, document_csl, document_csl, dated=item.document.date is not None, source=source)
        excerpt = item.excerpt
        dated = (excerpt.date or item.document.date) is not None
        return cls(item.id, to_csl(item), document_csl, excerpt.pages, dated, source)

    @classmethod
    def from_citation_data(cls, data: dict[str, Any], excerpt_id: str | None) -> Citable | None:
        """The document, or one of its excerpts, from ``citation_data``'s dict; None when
        the excerpt is not there (or the dict is not what ``citation_data`` makes)."""
        try:
            document = data["document"]
            if excerpt_id is None:
                return cls(document["csl"]["id"], document["csl"], document["csl"], dated=document["dated"])
            excerpt = data["excerpts"][excerpt_id]
            return cls(excerpt["csl"]["id"], excerpt["csl"], document["csl"], excerpt["pages"], excerpt["dated"])
        except (KeyError, TypeError):
            return None


def citation_data(document: Document) -> dict[str, Any]:
    """What citing a document or any of its excerpts needs, as JSON-ready data: the record
    cache keeps it, and ``Citable.from_citation_data`` reads it back."""
    whole = Citable.of(Item(document))
    excerpts = {}
    for excerpt in document.excerpts:
        part = Citable.of(Item(document, excerpt), whole.csl)
        excerpts[excerpt.id] = {"csl": part.csl, "pages": part.pages, "dated": part.dated}
    return {"document": {"csl": whole.csl, "dated": whole.dated}, "excerpts": excerpts}


def cite(items: Sequence[Item], form: str = "chicago-note", markup: str = "text", locator: str | None = None) -> list[str]:
    """One citation per item (notes, in-text citations), or the sorted entries of a
    bibliography (excerpts replaced by their documents, each document once).

        >>> from archcite import Collection
        >>> item = Collection("records").select("wcda-114978:p19-20")      # doctest: +SKIP
        >>> cite([item], "chicago-note", locator="19")[0]                   # doctest: +SKIP
        '“Conversation between Kim Il Sung and N. S. Khrushchev,” June 17, 1960, in ...'
    """
    return citations([Citable.of(item) for item in items_given(items, "cite")], form, markup, locator)


def citations(citables: Sequence[Citable], form: str = "chicago-note", markup: str = "text", locator: str | None = None) -> list[str]:
    """``cite`` for items already made citable (``Citable.of``, or the record cache)."""
    from .render import render

    chosen = get_form(form)
    if markup not in MARKUPS:
        raise FormatError(f"unknown markup {markup!r}; choose one of: {', '.join(MARKUPS)}")
    if chosen.mode == "bibliography" and locator:
        raise FormatError(f"a locator goes with a note or an in-text citation, not with {chosen.named_in_a_sentence}")
    for citable in citables:
        if not citable.dated:
            where = "give it one in the file" if citable.source else "add `date:` to its record"
            raise FormatError(
                f"{citable.id} has no date, which Chicago and MLA need to cite an archival document; "
                f"{where} {DATE_FORMS}",
                citable.source,
            )
    if chosen.mode == "bibliography":
        documents = {c.document_id: c.document_csl for c in citables}
        entries = render(chosen.style, list(documents.values()), mode="bibliography", markup=markup)
    else:
        entries = [_one_citation(citable, chosen, markup, locator, render) for citable in citables]
    if chosen.drop_url_scheme:
        entries = [drop_url_scheme(entry) for entry in entries]
    return entries


def _one_citation(citable: Citable, form: CitationForm, markup: str, locator: str | None, render: Any) -> str:
    csl = citable.csl
    if form.cite_document and citable.is_excerpt:
        # MLA in-text: the works-cited entry is the document's, so the cite names
        # the document and points at the excerpt's pages.
        csl = citable.document_csl
        locator = locator or citable.pages
    cite_: dict[str, Any] = {"id": csl["id"]}
    if locator:
        cite_["locator"] = str(locator)
        cite_["label"] = "page"
    clusters = [[{"id": csl["id"]}], [cite_]] if form.subsequent else [[cite_]]
    return str(render(form.style, [csl], clusters, mode="citation", markup=markup)[-1])


_PAGE_NUMBERS = re.compile(r"\s*([0-9]+)(?:\s*[-–]\s*([0-9]+))?\s*")


def _page_spans(text: str) -> list[tuple[int, int]] | None:
    """"19-20, 25" -> [(19, 20), (25, 25)], "110-5" -> [(110, 115)]; None for anything else
    (roman numerals, "19f", a range that runs backwards)."""
    from .engine.numbers import full_last

    spans = []
    for part in text.split(","):
        match = _PAGE_NUMBERS.fullmatch(part)
        if not match:
            return None
        first, last = match[1], match[2] or match[1]
        span = (int(first), int(full_last(first, last)))
        if span[1] < span[0]:
            return None
        spans.append(span)
    return spans


def locator_outside_pages(locator: str, pages: str) -> bool:
    """Whether a locator cites a page outside an excerpt's pages: a likely typo (``--locator 91``
    for pages 19-20), which is cited as given but worth a word.  Only numbers and ranges of
    numbers are judged; a locator or pages in any other form are taken as they are."""
    cited, excerpt = _page_spans(locator), _page_spans(pages)
    if not cited or not excerpt:
        return False
    return any(not any(start <= first and last <= end for start, end in excerpt) for first, last in cited)


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

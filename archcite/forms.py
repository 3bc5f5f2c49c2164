"""The citation forms archcite prints: the one list the registry, the CLI and cite() share."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import FormatError


@dataclass(frozen=True)
class CitationForm:
    name: str
    description: str
    style: str
    mode: str  # "citation" or "bibliography"
    subsequent: bool = False  # the style's short form for an item cited before
    cite_document: bool = False  # an excerpt is cited through its document (and its pages)
    drop_url_scheme: bool = False
    article: str = "a"  # before the description in a sentence: "an MLA 9 works-cited entry"

    @property
    def named_in_a_sentence(self) -> str:
        return f"{self.article} {self.description}"


FORMS: dict[str, CitationForm] = {
    form.name: form
    for form in (
        CitationForm("chicago-note", "Chicago full note (CMOS 17)", "chicago-notes-archival", "citation"),
        CitationForm(
            "chicago-short-note", "Chicago short note, for a source cited before (CMOS 17)", "chicago-notes-archival", "citation", subsequent=True
        ),
        CitationForm(
            "chicago-bibliography", "Chicago bibliography entry (CMOS 17)", "chicago-notes-archival", "bibliography",
            cite_document=True,
        ),
        CitationForm(
            "mla", "MLA 9 works-cited entry", "mla-archival", "bibliography", cite_document=True, drop_url_scheme=True, article="an"
        ),
        CitationForm("mla-in-text", "MLA 9 in-text citation", "mla-archival", "citation", cite_document=True, article="an"),
    )
}


def get_form(name: str) -> CitationForm:
    try:
        return FORMS[name]
    except KeyError:
        raise FormatError(f"unknown citation form {name!r}; choose one of: {', '.join(FORMS)}") from None

"""archcite: cite translated archival documents, and excerpts of them, without losing their provenance.

    >>> import archcite
    >>> document = archcite.load_record("record.txt")          # doctest: +SKIP
    >>> document.excerpts[0].id                                 # doctest: +SKIP
    'p19-20'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .collection import Collection, parse_selector
from .errors import ArchciteError, FormatError, RecordError, SelectorError
from .formats import ExportOptions, Item, get_format
from .models import (
    ArchivalSource,
    Document,
    Excerpt,
    Funding,
    FuzzyDate,
    Language,
    OriginalPublication,
    Person,
    Repository,
    Translation,
)


def load_record(path: str) -> list[Document] | Document:
    """Read a record file of any supported format; one document, or a list when the file holds several."""
    from .files import read_text
    from .formats import format_for_path

    documents = format_for_path(path).load(read_text(path), path)
    return documents[0] if len(documents) == 1 else documents


__all__ = [
    "ArchciteError",
    "ArchivalSource",
    "Collection",
    "Document",
    "Excerpt",
    "ExportOptions",
    "FormatError",
    "Funding",
    "FuzzyDate",
    "Item",
    "Language",
    "OriginalPublication",
    "Person",
    "RecordError",
    "Repository",
    "SelectorError",
    "Translation",
    "get_format",
    "load_record",
    "parse_selector",
]

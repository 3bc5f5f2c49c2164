"""BibLaTeX, both ways: the ``biblatex`` dialect of ``archcite.formats.bibtex``,
where the table of fields and the reader live.  Export is lossless: what
biblatex has no field for travels in the entry's ``verba`` field."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import ExportOptions, Item
from . import bibtex
from .bibtex import load_documents, load_with_notes

__all__ = ["dump", "dump_iter", "load_documents", "load_with_notes", "losses"]


def dump(items: Iterable[Item], options: ExportOptions) -> str:
    return bibtex.dump(items, options, bibtex.BIBLATEX)


def dump_iter(items: Iterable[Item], options: ExportOptions) -> Iterator[str]:
    return bibtex.dump_iter(items, options, bibtex.BIBLATEX)


def losses(item: Item) -> list[str]:
    return bibtex.losses(item, bibtex.BIBLATEX)

"""archcite: cite translated archival documents, and excerpts of them, without losing their provenance.

    >>> import archcite
    >>> document = archcite.load_record("../shared/seeds/000_4db5b8ae459dc3cc.txt")  # doctest: +SKIP
    >>> document.excerpts[0].id                                                      # doctest: +SKIP
    'p19-20'
    >>> item = archcite.Item(document, document.excerpt("p19-20"))                   # doctest: +SKIP
    >>> archcite.cite([item], "chicago-short-note")                                  # doctest: +SKIP
    ['“Conversation between Kim Il Sung and N. S. Khrushchev,” 19–20.']

The public names, each documented where it is defined:

- reading: ``load_record`` (any supported file), ``load_records`` (many at once),
  ``Collection`` (a records folder, with ``select("wcda-114978:p19-20")``), ``parse_selector``;
- the record: ``Document``, ``Excerpt``, ``Person``, ``Translation``, ``OriginalPublication``,
  ``ArchivalSource``, ``Repository``, ``Funding``, ``Language``, ``FuzzyDate``;
- citing and exporting: ``Item`` (a document or one excerpt), ``cite`` (Chicago and MLA),
  ``render`` (any CSL style, any CSL-JSON), ``to_csl_json``, ``get_format`` and
  ``ExportOptions`` (every format the command line writes);
- errors: ``ArchciteError`` and its kinds ``RecordError``, ``SelectorError``, ``FormatError``,
  ``ConflictError``.
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib
from collections.abc import Iterable, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any

# ``cite`` and ``render`` are imported eagerly on purpose: they share their names with their
# modules, and importing them here binds the names to the functions once and for all (a lazy
# import of ``archcite.cite`` later would otherwise rebind ``archcite.cite`` to the module).
# Both modules are light: citeproc-py, lxml and the styles load when something is formatted.
from .cite import cite
from .errors import ArchciteError, ConflictError, FormatError, RecordError, SelectorError
from .formats import ExportOptions, Item, get_format
from .render import render

if TYPE_CHECKING:
    from .collection import Collection, parse_selector
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

# The rest is imported when first used: the models need Pydantic and the collection
# ruamel.yaml, which commands such as ``archcite styles`` or ``--help`` have no use for.
_LAZY = {
    "Collection": "collection",
    "parse_selector": "collection",
    **dict.fromkeys(
        [
            "ArchivalSource", "Document", "Excerpt", "Funding", "FuzzyDate", "Language",
            "OriginalPublication", "Person", "Repository", "Translation",
        ],
        "models",
    ),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once: the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    # The public names only: completion in a REPL should not offer the typing helpers and
    # modules this file imports for itself (Any, Sequence, importlib...).
    return sorted(__all__)


def load_record(path: str) -> list[Document] | Document:
    """Read a record file of any supported format (record text ``.txt``, record file ``.yaml``,
    CSL-JSON ``.json``, BibTeX/BibLaTeX ``.bib``): one document, or a list when the file holds
    several.

        >>> load_record("records/wcda-114978.yaml").id                       # doctest: +SKIP
        'wcda-114978'
    """
    from .files import read_text
    from .formats import format_for_path

    documents = format_for_path(path).load(read_text(path), path)
    return documents[0] if len(documents) == 1 else documents


def load_records(paths: Iterable[str | PathLike[str]] | str | PathLike[str]) -> list[Document]:
    """The documents of many record files, in order, each file read as ``load_record`` reads
    it (a file holding several documents gives them all; one path alone is one file); the
    first file that cannot be read raises, naming it.  For thousands of files, faster than
    ``load_record`` for each: the cycle collector stays paused over the whole batch (see
    ``Format.load_many``).

        >>> [d.id for d in load_records(sorted(Path("records").glob("*.yaml")))]  # doctest: +SKIP
        ['wcda-114978']
    """
    from .files import read_text
    from .formats import format_for_path
    from .gcpause import collector_paused

    if isinstance(paths, (str, PathLike)):
        paths = [paths]  # one file, named alone: not the characters of its name
    documents: list[Document] = []
    with collector_paused():
        for path in map(str, paths):
            documents.extend(format_for_path(path).load(read_text(path), path))
    return documents


def to_csl_json(items: Sequence[Item]) -> list[dict[str, Any]]:
    """The CSL-JSON items for documents and excerpts, as ``archcite export --format csl-json``
    writes them: one item per ``Item``, ready for ``json.dump``, ``render`` or citeproc-js.

        >>> item = Collection("records").select("wcda-114978:p19-20")       # doctest: +SKIP
        >>> to_csl_json([item])[0]["translator"]                             # doctest: +SKIP
        [{'family': 'Goldberg', 'given': 'Gary'}]
    """
    from .formats import items_given
    from .formats.csl_json import to_csl

    return [to_csl(item) for item in items_given(items, "to_csl_json")]


__all__ = [
    "ArchciteError",
    "ConflictError",
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
    "__version__",
    "cite",
    "get_format",
    "load_record",
    "load_records",
    "parse_selector",
    "render",
    "to_csl_json",
]

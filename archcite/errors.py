"""One exception hierarchy for everything a user can get wrong.

Every error carries the file and, where known, the line, and prints as
``path:line: message`` so that editors and terminals can jump to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .collection import Difference


class ArchciteError(Exception):
    """A problem with the user's input, reported without a traceback.

        >>> str(ArchciteError("no title", "records/wcda-1.yaml", 3))
        'records/wcda-1.yaml:3: no title'
    """

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        # Where one input has several problems, all of them, this one first.
        self.problems: list[ArchciteError] = [self]

    def located(self, path: str | Path | None, line: int | None = None) -> ArchciteError:
        """Fill in the location if the raiser did not know it."""
        if self.path is None and path is not None:
            self.path = str(path)
        if self.line is None:
            self.line = line
        return self

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class RecordError(ArchciteError):
    """A record (text, YAML, CSL-JSON or BibTeX) is malformed or invalid.

        >>> from archcite.formats import get_format
        >>> get_format("yaml").load("title: no id\\n", "wcda-1.yaml")
        Traceback (most recent call last):
        archcite.errors.RecordError: wcda-1.yaml:1: id: required field is missing...
    """


class SelectorError(ArchciteError):
    """A selector names no record or no excerpt.

        >>> from archcite.collection import parse_selector
        >>> parse_selector("wcda 114978")
        Traceback (most recent call last):
        archcite.errors.SelectorError: 'wcda 114978' is not a selector; write a record id (wcda-114978) or id:excerpt (wcda-114978:p19-20)
    """


class FormatError(ArchciteError):
    """An unknown format, style, form or markup was asked for.

        >>> from archcite.formats import get_format
        >>> get_format("word")
        Traceback (most recent call last):
        archcite.errors.FormatError: unknown format 'word'; choose one of: ...
    """


class ConflictError(ArchciteError):
    """Writing records would replace ones whose content differs, and the caller did not
    ask for that (``Collection.add_all(..., replace=False)``); nothing was written.
    ``differences`` says, record by record, what replacing would do.

        >>> try:                                                              # doctest: +SKIP
        ...     Collection("records").add_all([changed], replace=False)
        ... except ConflictError as conflict:
        ...     print(conflict.differences[0].brief())
        drops translation
    """

    def __init__(self, differences: list[Difference]) -> None:
        first, *others = [
            (f"the record differs from the one to be written: it {d.brief()}", d.path, d.line) for d in differences
        ]
        super().__init__(*first)
        self.differences = differences
        self.problems = [self] + [ArchciteError(*problem) for problem in others]

"""The one registry of formats archcite reads and writes.

A format is a module with ``load(text, path) -> list[Document]`` and/or
``dump(items, options) -> str``; a module that can write item by item also has
``dump_iter(items, options) -> Iterator[str]``, which reads its items from any
iterable one at a time, so that an export of any size streams.  Modules are
imported only when used, so a command that needs one format does not pay for
the others.  The command line takes its choices from here; there is no second
list.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import FormatError
from ..forms import FORMS
from ..gcpause import collector_paused

if TYPE_CHECKING:
    from ..models import Document, Excerpt


@dataclass(frozen=True)
class Item:
    """What is exported or cited: a whole document, or one excerpt of it.

        >>> from archcite.models import Document, Excerpt
        >>> document = Document(id="wcda-114978", title="Excerpts", excerpts=[Excerpt(id="p19-20", title="Conversation")])
        >>> Item(document).id, Item(document, document.excerpt("p19-20")).id
        ('wcda-114978', 'wcda-114978:p19-20')
    """

    document: Document
    excerpt: Excerpt | None = None

    def __post_init__(self) -> None:
        # An excerpt of another document would be cited with this one's title, pages and
        # provenance, under an id neither has: a mistake no later step can see.
        # `in` tries identity before equality: an equal copy (a document read again) passes.
        excerpt = self.excerpt
        if excerpt is not None and excerpt not in self.document.excerpts:
            raise ValueError(
                f"excerpt {excerpt.id!r} is not one of document {self.document.id!r}'s excerpts; "
                f"take it from that document: Item(document, document.excerpt({excerpt.id!r}))"
            )

    @property
    def id(self) -> str:
        return f"{self.document.id}:{self.excerpt.id}" if self.excerpt else self.document.id


def items_given(items: object, caller: str) -> list[Item]:
    """``items`` as a list, when it is a list (any iterable) of ``Item``s.  The likely slips,
    a ``Document``, one ``Item`` or a selector string where the list goes, otherwise fail
    deep inside with "'Document' object has no attribute 'document'" or "not iterable".

        >>> items_given("wcda-114978", "cite")
        Traceback (most recent call last):
        TypeError: cite() takes a list of archcite.Item, not a str; make an Item with ...
    """
    from ..models import Document  # loaded already: Items hold Documents

    how = (
        "make an Item with Item(document), Item(document, excerpt) or "
        "Collection(folder).select('wcda-114978:p19-20'), and pass [item]"
    )
    if isinstance(items, (str, bytes, Item, Document)) or not isinstance(items, Iterable):
        raise TypeError(f"{caller}() takes a list of archcite.Item, not {_a(type(items).__name__)}; {how}")
    listed = list(items)
    for number, item in enumerate(listed, 1):
        if not isinstance(item, Item):
            raise TypeError(f"{caller}() takes a list of archcite.Item, but item {number} is {_a(type(item).__name__)}; {how}")
    return listed


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "AEIOUaeiou" else "a ") + noun


@dataclass(frozen=True)
class ExportOptions:
    """Options a format may use; each format ignores those it has no use for.

        >>> get_format("chicago-note").dump(items, ExportOptions(markup="markdown", locator="19"))  # doctest: +SKIP
    """

    ascii: bool = False
    markup: str = "text"
    locator: str | None = None
    report: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    module: str
    suffixes: tuple[str, ...] = ()
    can_load: bool = False
    can_dump: bool = False
    form: str | None = None  # for citation forms: which one the module renders
    writes_records: bool = False  # writes each item's whole document, as a record file holds it

    def _module(self) -> ModuleType:
        return importlib.import_module(self.module)

    def _check_text(self, text: object, method: str) -> None:
        # Bytes would fail deep in a reader, saying "a bytes-like object is required, not 'str'".
        if not isinstance(text, str):
            raise TypeError(
                f"{method}() takes a {self.name} text as str, not {type(text).__name__}; decode it first "
                "(data.decode('utf-8')), or read files with archcite.load_records(path)"
            )

    def load(self, text: str, path: str | None = None) -> list[Document]:
        if not self.can_load:
            raise FormatError(f"archcite cannot read {self.name}", path)
        self._check_text(text, "load")
        with collector_paused():
            documents: list[Document] = self._module().load_documents(text, path)
        return documents

    def load_many(self, sources: Iterable[tuple[str, str | None]]) -> list[Document]:
        """The documents of many ``(text, path)`` pairs, in order, as ``load`` reads each;
        the first text that cannot be read raises, naming its path.

        For thousands of texts this is about a third faster than calling ``load`` for each:
        the cycle collector stays paused over the whole batch (see archcite.gcpause),
        rather than resuming between texts to walk every document read so far."""
        if not self.can_load:
            raise FormatError(f"archcite cannot read {self.name}")
        load_documents = self._module().load_documents
        documents: list[Document] = []
        with collector_paused():
            for text, path in sources:
                self._check_text(text, "load_many")
                documents.extend(load_documents(text, path))
        return documents

    def load_with_notes(self, text: str, path: str | None = None, keep_going: bool = False) -> tuple[list[Document], list[str]]:
        """The documents, and notes on what was ignored or assumed (foreign files), each
        starting with ``path`` (and the line, where known) when there is one; with
        ``keep_going``, broken entries become notes where the format can skip them."""
        if not self.can_load:
            raise FormatError(f"archcite cannot read {self.name}", path)
        self._check_text(text, "load_with_notes")
        module = self._module()
        with collector_paused():
            if not hasattr(module, "load_with_notes"):
                return module.load_documents(text, path), []
            if keep_going and "keep_going" in module.load_with_notes.__code__.co_varnames:
                result: tuple[list[Document], list[str]] = module.load_with_notes(text, path, keep_going=True)
            else:
                result = module.load_with_notes(text, path)
        return result

    def dump(self, items: Iterable[Item], options: ExportOptions | None = None) -> str:
        return "".join(self.dump_iter(items, options))

    def dump_iter(self, items: Iterable[Item], options: ExportOptions | None = None) -> Iterator[str]:
        """The output in pieces, to be written as they come: the items are read one at
        a time (by formats that stream; the others take them all, then give one piece).
        Joined, the pieces are ``dump()``'s text."""
        # Checked here, not in the generator, so that the error comes before any writing.
        if not self.can_dump:
            raise FormatError(f"archcite reads {self.name} but cannot write it; it writes: {', '.join(sorted(output_formats()))}")
        module = self._module()
        options = options or ExportOptions()
        if self.form:
            return iter([module.dump(list(items), options, self.form)])
        if hasattr(module, "dump_iter"):
            pieces: Iterator[str] = module.dump_iter(items, options)
            return pieces
        return iter([module.dump(list(items), options)])

    def losses(self, items: Iterable[Item]) -> dict[str, list[str]]:
        """Per item id, the facts this format cannot carry as structured fields."""
        report = {item.id: self.item_losses(item) for item in items}
        return {item_id: lost for item_id, lost in report.items() if lost}

    def item_losses(self, item: Item) -> list[str]:
        """The facts of one item this format cannot carry as structured fields."""
        module = self._module()
        if not hasattr(module, "losses"):
            return []
        lost: list[str] = module.losses(item)
        return lost


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


register(Format("record-text", "archive record text (Wilson Center layout)", "archcite.formats.record_text", (".txt",), can_load=True))
register(Format("yaml", "archcite record file", "archcite.formats.yaml_record", (".yaml", ".yml"), can_load=True, can_dump=True,
              writes_records=True))
register(Format("csl-json", "CSL-JSON (Zotero, pandoc, citeproc-js)", "archcite.formats.csl_json", (".json",), can_load=True, can_dump=True))
register(Format("bibtex", "BibTeX (@misc; provenance as text in note)", "archcite.formats.bibtex", (".bib",), can_load=True, can_dump=True))
register(Format("biblatex", "BibLaTeX for biber, lossless (archcite data in verba)", "archcite.formats.biblatex", can_load=True, can_dump=True))
for _form in FORMS.values():
    register(Format(_form.name, _form.description, "archcite.cite", can_dump=True, form=_form.name))

def get_format(name: str) -> Format:
    """The format of that name (``archcite styles`` and ``FORMATS`` list them all).

        >>> get_format("csl-json").dump([item])[:20]                         # doctest: +SKIP
        '[\\n{"id": "wcda-11497'
    """
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise FormatError(f"unknown format {name!r}; choose one of: {known}") from None


def format_for_path(path: str | Path) -> Format:
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes and fmt.can_load:
            return fmt
    readable = ", ".join(readable_suffixes())
    raise FormatError(f"cannot tell the format from the suffix {suffix or '(none)'!r}; archcite reads {readable}", path)


def readable_suffixes() -> list[str]:
    """The file name suffixes archcite reads, each format's in registry order."""
    return [suffix for fmt in FORMATS.values() if fmt.can_load for suffix in fmt.suffixes]


def format_for_text(text: str) -> Format:
    """The format of a text that comes without a file name (standard input), told by its
    content: CSL-JSON opens with '[' and one of '{[]"', or '{' and '"' or '}'; an archcite
    record file with '---' or a field ('id:', 'title:'; lower case, where a record text's
    headings are capitalized), after its comments; BibTeX has an entry ('@book{'); anything
    else is read as a record text, whose reader says what it misses when the text is none."""
    # Patterns given as text, compiled on first use by re's own cache: most commands never
    # read standard input.
    head = text.lstrip("\ufeff \t\r\n")
    # '[' alone is no sign: a record text's body opens with a page marker ("[19-20]").
    if re.match(r'\[\s*[\[{\]"]|\{\s*["}]', head):
        return FORMATS["csl-json"]
    if re.match(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?:---|[a-z_]+:(?:[ \t\r\n]|$))", head + "\n"):
        return FORMATS["yaml"]
    if re.search(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", text, re.MULTILINE):
        return FORMATS["bibtex"]
    return FORMATS["record-text"]


def output_formats() -> list[str]:
    return [name for name, fmt in FORMATS.items() if fmt.can_dump]

"""The ``archcite`` command: argument parsing and printing only.

Exit codes: 0 success, 1 bad input (a record, a selector, a format) or unwritable output,
2 usage, 141 when the reader of a pipe went away.
Data goes to stdout, messages (and the progress bar, on a terminal) to stderr.
``-`` means stdin for ``import`` and as a selector, and stdout for ``--output``.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

from . import __version__, deferred_asyncio
from .errors import ArchciteError, ConflictError, FormatError, SelectorError

if TYPE_CHECKING:
    from .collection import Collection, Difference
    from .formats import Format, Item
    from .models import Document

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # SIGPIPE's number on Linux and macOS
# A progress bar is worth its noise only for long runs (and only on a terminal).
PROGRESS_MIN = 300
T = TypeVar("T")

MAIN_EPILOG = """\
examples:
  archcite import ../shared/seeds/000_4db5b8ae459dc3cc.txt
  archcite cite wcda-114978:p19-20 --locator 19
  archcite export --format csl-json --excerpts -o library.json

exit codes: 0 success, 1 bad input (a record, a selector, a file, a format) or output
that cannot be written, 2 usage; 141 (quietly) when the reader of a pipe went away.
Data goes to stdout, messages to stderr; '-' is stdin for import and as a selector
(a record file), stdout for --output.
'archcite COMMAND --help' shows each command's options and an example."""


def run() -> NoReturn:
    """The ``archcite`` script: ``main`` in a process of its own, which it ends."""
    # Most of a short command such as ``cite`` is importing pydantic, ruamel.yaml, PyYAML
    # and citeproc-py, whose ~35,000 objects live as long as the process: the cycle
    # collector's passes over them, one per 700 new objects by default and more at exit,
    # took about 70 ms of a `cite` that reads its record afresh (25 ms of one answered
    # from the record cache).  One pass per 100,000 new objects: a short command never
    # starts one, and a long one (an export of thousands of records) still collects its
    # garbage as it goes (2,000 records exported: peak memory 37.1 MB rather than 36.6).
    gc.set_threshold(100_000)
    # Pydantic looks for plugins (the "pydantic" entry-point group) when it builds the first
    # validator, by reading the metadata of every installed distribution: 2 ms in a venv
    # holding archcite alone, 25 ms in one with 120 distributions, for a command that has
    # no use for a plugin.  The script turns the search off unless the user has said
    # otherwise; a plugin such as logfire's then does not instrument archcite's commands.
    # PYDANTIC_DISABLE_PLUGINS= (set and empty) brings every plugin back, and a list of
    # names turns off only those.  Library use (``import archcite``) and ``main`` are not
    # affected: this is the script's own process.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # Importing Pydantic imports asyncio, which no command uses (see archcite.deferred_asyncio).
    deferred_asyncio.install()
    try:
        sys.exit(main())
    finally:
        # Exiting: no object is worth a pass of the collector any more.
        gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # The command is the first word when no option comes before it: then only its own
    # options are set up (all commands' options and help texts take argparse ~10 ms).
    parser = _parser(argv[0] if argv and not argv[0].startswith("-") else None)
    args, unrecognized = parser.parse_known_args(argv)
    if unrecognized:
        _reject(parser, args, unrecognized)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    stdout = sys.stdout
    sys.stdout = _GuardedOutput(stdout)
    try:
        code: int = args.run(args)
        # Written here, not at exit, where a full disk or a closed pipe would come out as
        # a traceback Python cannot help printing.
        sys.stdout.flush()
        return code
    except ArchciteError as exc:
        print(f"archcite: {exc}", file=sys.stderr)
        if args.command == "export" and not args.selectors:
            from .files import stdin_is_piped

            if stdin_is_piped():  # `cat seed.txt | archcite export -f csl-json`
                print("archcite: standard input was not read: to export the record piped in, name it '-' "
                      "(archcite export - --format ...)", file=sys.stderr)
        _flush_or_discard(stdout)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`archcite list | head -1`): not worth a message.  The exit
        # status is a shell's for a process killed by SIGPIPE, which is what most commands
        # in a pipe end with when this happens.
        _discard_pending(stdout)
        return EXIT_BROKEN_PIPE
    except OutputError as exc:
        print(f"archcite: {exc}", file=sys.stderr)
        _discard_pending(stdout)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    finally:
        sys.stdout = stdout


class OutputError(Exception):
    """Standard output could not be written (a full disk, an I/O error): not the user's
    input, so not an ArchciteError, but reported the same way."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(f"<stdout>: cannot write: {exc.strerror or exc}; free some space where the output goes, or send it elsewhere")


class _GuardedOutput(io.TextIOBase):
    """Standard output while a command runs.  A write failing there becomes ``OutputError``,
    so that it is told from the other OSErrors (those carry their file's name; this one
    has no name to carry).  A closed pipe stays a BrokenPipeError."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        return self._guarded(self._stream.write, text)

    def writelines(self, lines: Iterable[str]) -> None:  # type: ignore[override]
        # Passed on whole: a streaming export hands over thousands of pieces.
        self._guarded(self._stream.writelines, lines)

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    @staticmethod
    def _guarded(call: Callable[..., T], *args: Any) -> T:
        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc) from None

    def isatty(self) -> bool:
        return self._stream.isatty()

    def close(self) -> None:
        # Called when the guard is dropped: the stream is the process's, and main flushes it.
        pass

    def writable(self) -> bool:
        return True


def _flush_or_discard(stdout: TextIO) -> None:
    """After an error has been reported: what was printed before it goes out, or, if stdout
    fails too, is dropped quietly; the error already said what went wrong."""
    try:
        stdout.flush()
    except OSError:
        _discard_pending(stdout)


def _discard_pending(stdout: TextIO) -> None:
    """Point standard output at /dev/null: what is still buffered for it would otherwise fail
    again when Python flushes it at exit, with a message of Python's own."""
    try:
        fd = stdout.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return  # not a real file (a test's capture): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


COMMANDS = ("import", "validate", "list", "show", "export", "cite", "styles", "schema", "completion")


class _Unused:
    """Stands in for the parser of a command this run does not need: takes its options
    and sets nothing up."""

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        pass

    def set_defaults(self, **kwargs: Any) -> None:
        pass


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, but '-:p19-20' (an excerpt of the record on standard input) is a selector:
    argparse would take any unknown word that starts with '-' for an option.  The
    subcommands' parsers are made of this class too (argparse makes them of the parent's)."""

    # The top level's parser: each command's parser, by name.
    command_parsers: Mapping[str, argparse.ArgumentParser]

    def _parse_optional(self, arg_string: str) -> Any:
        if arg_string.startswith("-:"):
            return None  # a positional argument
        return super()._parse_optional(arg_string)

    def error(self, message: str) -> NoReturn:
        from .files import stdin_is_piped

        # `cat seed.txt | archcite cite`: the record was piped in, but '-' is what reads it.
        if message.startswith("the following arguments are required: ") and message.endswith(("SELECTOR", "PATH")) \
                and stdin_is_piped():
            message += f"; to read what is piped in, name it '-' ({self.prog} -)"
        super().error(message)


def _reject(parser: _ArgumentParser, args: argparse.Namespace, words: list[str]) -> NoReturn:
    """Exit with the usage of the command that was given words it does not take (argparse
    gives the top level's usage, which names no command), and say which commands have the
    options among them: `archcite cite wcda-114978 -o notes.txt` is told that -o is export's."""
    command = getattr(args, "command", None)
    target = parser.command_parsers.get(command, parser) if command else parser
    message = f"unrecognized arguments: {' '.join(words)}"
    if command:
        every = _parser().command_parsers
        for word in dict.fromkeys(w.split("=", 1)[0] for w in words if w.startswith("-") and w != "-"):
            owners = [name for name, p in every.items() if name != command and word in p._option_string_actions]
            if owners:
                message += f"; {word} is an option of {' and '.join(owners)}, not of {command}"
    target.error(message)


def _parser(only: str | None = None) -> _ArgumentParser:
    """The parser of every command; with ``only``, of that command alone.  Usage and error
    messages are the same: the top level's usage names no command ('COMMAND'), and a word
    that is no command gets every command, for the message listing them."""
    from .formats import FORMATS
    from .forms import FORMS as FORMS_LIST

    # The completion script is made from every command's options.
    every = only is None or only == "completion" or only not in COMMANDS

    parser = _ArgumentParser(
        prog="archcite",
        description="Cite translated archival documents, and excerpts of them, without losing their provenance.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"archcite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    parser.command_parsers = sub.choices

    def command(name: str, help_text: str, example: str) -> argparse.ArgumentParser | _Unused:
        if not every and name != only:
            return _Unused()
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument(
            "--records",
            metavar="DIR",
            type=Path,
            help="records folder (default: $ARCHCITE_RECORDS, else ./records)",
        )
        return p

    p = command(
        "import",
        "read record files (.txt, .yaml, .json, .bib) into the records folder, replacing a different record only with --replace",
        "archcite import ../shared/seeds/000_4db5b8ae459dc3cc.txt",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to import ('-' reads one from stdin, its format told by its content)")
    p.add_argument("--keep-going", action="store_true", help="import the valid records even when some are broken (or, without --replace, would replace a different record)")
    p.add_argument("--replace", action="store_true", help="replace records already in the folder whose content differs (without it, nothing is imported and each such record is listed with what it would lose or change)")
    p.set_defaults(run=_import)

    p = command("validate", "check every record file; print one line per problem (stderr)", "archcite validate --json")
    p.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    p.set_defaults(run=_validate)

    p = command("list", "list the records", "archcite list --json")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=_list)

    p = command("show", "print a record, or one excerpt of it", "archcite show wcda-114978:p19-20")
    p.add_argument("selector", metavar="SELECTOR", help="record id (wcda-114978), id:excerpt (wcda-114978:p19-20), a file (seed.txt, seed.txt:p19-20), or '-' / '-:p19-20' for stdin")
    p.set_defaults(run=_show)

    writable = ", ".join(name for name, fmt in FORMATS.items() if fmt.can_dump)
    p = command("export", "write records in a data format or as citations", "archcite export wcda-114978:p19-20 --format chicago-note --locator 19")
    p.add_argument("selectors", nargs="*", metavar="SELECTOR", help="ids, id:excerpt, record files (seed.txt, seed.txt:p19-20); '-' or '-:p19-20' reads a record from stdin (default: all)")
    p.add_argument("--format", "-f", required=True, metavar="FORMAT", help=f"one of: {writable}")
    p.add_argument("--excerpts", action="store_true", help="also export each document's excerpts as items")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically); '-' or none: stdout")
    p.add_argument("--markup", default="text", metavar="MARKUP", help="citations: text (default), markdown, html or rtf")
    p.add_argument("--locator", metavar="PAGE", help="citations: the page cited, for notes and in-text citations")
    p.add_argument("--ascii", action="store_true", help="BibTeX: convert non-ASCII characters to LaTeX")
    p.add_argument("--report", action="store_true", help="list on stderr what the format could not carry")
    p.set_defaults(run=_export)

    p = command(
        "cite",
        "print a citation of each document or excerpt: the Chicago full note in plain text "
        "unless --form and --markup say otherwise",
        "archcite cite wcda-114978:p19-20 --locator 19",
    )
    p.add_argument("selectors", nargs="+", metavar="SELECTOR", help="ids, id:excerpt, record files (seed.txt, seed.txt:p19-20); '-' or '-:p19-20' reads a record from stdin")
    p.add_argument("--form", default="chicago-note", metavar="FORM", help=f"one of: {', '.join(FORMS_LIST)} (default: chicago-note)")
    p.add_argument("--markup", default="text", metavar="MARKUP", help="text (default), markdown, html or rtf")
    p.add_argument("--locator", metavar="PAGE", help="the page cited")
    p.set_defaults(run=_cite)

    p = command("styles", "list archcite's CSL styles, the citation forms printed with them, and the markups", "archcite styles --json")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=_styles)

    p = command("schema", "print the JSON Schema of record files", "archcite schema > record.schema.json")
    p.set_defaults(run=_schema)

    p = command("completion", "print a shell completion script", "source <(archcite completion bash)")
    p.add_argument("shell", choices=SHELLS, help="bash, or zsh (bash's script through bashcompinit)")
    p.set_defaults(run=lambda args: _completion(args, parser))
    return parser


def _collection(args: argparse.Namespace) -> Collection:
    from .collection import Collection

    return Collection(args.records)


def _import(args: argparse.Namespace) -> int:
    from .files import STDIN, read_text
    from .formats import format_for_path, format_for_text
    from .models import Document

    collection = _collection(args)
    stdin = _Sources()  # read once, however often '-' is named
    loaded: dict[str, tuple[Document, str]] = {}
    failures = 0
    for name in progress(args.paths, "reading"):
        try:
            if name == "-":
                # Notes too: a record text's credits can hold roles archcite has no field for.
                text = stdin.stdin_text()
                documents, notes = format_for_text(text).load_with_notes(text, STDIN, args.keep_going)
            else:
                documents, notes = format_for_path(name).load_with_notes(read_text(name), name, args.keep_going)
            for note in notes:
                print(f"archcite: {note}", file=sys.stderr)  # each names its file (and line)
            for document in documents:
                if document.id in loaded and loaded[document.id][0] != document:
                    raise ArchciteError(
                        f"duplicate id {document.id!r}: also in {loaded[document.id][1]} with different content", name
                    )
                loaded[document.id] = (document, name)
        except ArchciteError as exc:
            if not args.keep_going:
                raise
            print(f"archcite: {exc} (skipped)", file=sys.stderr)
            failures += 1
    # Everything is read before anything is written, and written all or none:
    # a broken input, or a write that fails halfway, leaves the collection as it was.
    documents = [document for document, _ in loaded.values()]
    new_folder = not collection.folder.exists()
    # Under one hold of the lock: what was found to differ is what is skipped and written.
    with collection.lock():
        try:
            results = collection.add_all(documents, replace=args.replace)
        except ConflictError as exc:
            for difference in exc.differences:
                _print_difference(difference, loaded[difference.record_id][1], args.keep_going)
            if not args.keep_going:
                count = len(exc.differences)
                print(
                    f"archcite: nothing was imported: {count} record{'s' if count != 1 else ''} in the records folder "
                    f"would be replaced by different content; to replace {'them' if count != 1 else 'it'}, "
                    "run the import again with --replace (or with --keep-going to import the rest)",
                    file=sys.stderr,
                )
                return EXIT_BAD_INPUT
            failures += len(exc.differences)
            kept = {difference.record_id for difference in exc.differences}
            documents = [document for document in documents if document.id not in kept]
            results = collection.add_all(documents, replace=args.replace)
    for document, (path, changed) in zip(documents, results):
        print(f"{document.id}\t{path}" + ("" if changed else "\t(unchanged)"))
    if new_folder and collection.folder.is_dir():
        # Said, because a mistyped --records would otherwise pass unnoticed.
        print(f"archcite: made the records folder {collection.folder}", file=sys.stderr)
    return EXIT_BAD_INPUT if failures else EXIT_OK


def _print_difference(difference: Difference, source: str, skipped: bool) -> None:
    where = f"{difference.path}:{difference.line}" if difference.line is not None else str(difference.path)
    if difference.unreadable is None:
        what = f"importing {source} would replace this record: it {difference.brief()}"
    else:
        what = f"importing {source} would replace this record, which cannot be read ({difference.unreadable})"
    print(f"archcite: {where}: {what}" + (" (skipped)" if skipped else ""), file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    collection = _collection(args)
    problems = collection.validate()
    count = len(collection.files())
    if args.json:
        where = [{"path": p.path, "line": p.line, "message": p.message} for p in problems]
        json.dump({"folder": str(collection.folder), "records": count, "valid": not problems, "problems": where}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_BAD_INPUT if problems else EXIT_OK
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_BAD_INPUT
    print(f"{count} record{'s' if count != 1 else ''} valid in {collection.folder}", file=sys.stderr)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    # One broken record does not hide the others: it is reported and skipped, and the exit
    # status says something was wrong.
    collection = _collection(args)
    rows: list[dict[str, Any]] = []
    broken = 0
    for path in collection.files():
        try:
            document = collection.load(path)
        except ArchciteError as exc:
            print(f"archcite: {exc} (not listed; `archcite validate` shows every problem)", file=sys.stderr)
            broken += 1
            continue
        rows.append(
            {
                "id": document.id,
                "date": str(document.date) if document.date else None,
                "title": document.title,
                "excerpts": [e.id for e in document.excerpts],
            }
        )
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for row in rows:
            count = len(row["excerpts"])
            print(f"{row['id']}\t{row['date'] or ''}\t{row['title']}\t{count} excerpt{'' if count == 1 else 's'}")
    return EXIT_BAD_INPUT if broken else EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from .formats import yaml_record

    items = _items(_collection(args), [args.selector], excerpts=False)  # a file may hold several
    shown = [
        yaml_record.dump_document(item.document) if item.excerpt is None else yaml_record.dump_excerpt(item.document, item.excerpt)
        for item in items
    ]
    sys.stdout.write("---\n".join(shown))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from .formats import FORMATS, ExportOptions, get_format, output_formats

    if args.format not in FORMATS:  # the list to choose from: what export writes, not all archcite reads
        raise FormatError(f"unknown format {args.format!r}; choose one of: {', '.join(output_formats())}")
    fmt = get_format(args.format)
    collection = _collection(args)
    _check_output_is_no_input(args.output, collection, args.selectors)
    # Named selectors are resolved first, as before: each names a record (or a file read
    # whole anyway), and a bad one fails before anything is written.  The whole
    # collection streams: one record is read, exported and let go at a time.
    items: Iterable[Item] = (
        _items(collection, args.selectors, args.excerpts) if args.selectors else _all_items(collection, args.excerpts)
    )
    if fmt.writes_records and args.selectors:
        # An excerpt is no record: a selector naming one gets its whole document, which the
        # user should know (unless the document was asked for as well, or by --excerpts).
        whole = {item.document.id for item in items if item.excerpt is None}  # a list: selectors are resolved first
        for item in items:
            if item.excerpt is not None and item.document.id not in whole:
                print(f"archcite: {item.id}: {fmt.name} writes whole records; written as its record {item.document.id}, "
                      "with all its excerpts", file=sys.stderr)
    if args.locator:
        items = _noting_locators(items, args.locator)
    losses: dict[str, list[str]] = {}
    if args.report:
        items = _noting_losses(items, fmt, losses)
    pieces = fmt.dump_iter(items, ExportOptions(ascii=args.ascii, markup=args.markup, locator=args.locator))
    _write_pieces(pieces, args.output)
    if args.report:
        _print_report({item_id: lost for item_id, lost in losses.items() if lost}, sys.stderr)
    return EXIT_OK


def _check_output_is_no_input(output: str | None, collection: Collection, selectors: list[str]) -> None:
    """--output must not replace what the export reads: a file named as a selector, or a
    record file of the records folder (where any '.yaml' file is taken for a record: ``Collection.files``)."""
    from .collection import RECORD_SUFFIXES, file_selector

    if not output or output == "-":
        return
    target = Path(output).resolve()  # through symbolic links, as the write goes
    if any(target == Path(named[0]).resolve() for named in map(file_selector, selectors) if named):
        raise ArchciteError("is also read by this export; write the output to another file", output)
    if target.parent == collection.folder.resolve() and target.suffix.lower() in RECORD_SUFFIXES:
        raise ArchciteError(
            f"is a record file's place in the records folder ({collection.folder}); write the output elsewhere", output
        )


def _all_items(collection: Collection, excerpts: bool) -> Iterator[Item]:
    """Every record, read as the export asks for it, each followed by its excerpts."""
    from .formats import Item

    for path in progress(collection.files(), "reading"):
        document = collection.load(path)
        yield Item(document)
        if excerpts:
            yield from (Item(document, excerpt) for excerpt in document.excerpts)


def _noting_locators(items: Iterable[Item], locator: str) -> Iterator[Item]:
    """The items, passed on as they are, with a word on stderr for each excerpt the locator misses."""
    for item in items:
        if item.excerpt is not None:
            _note_locator(item.id, item.excerpt.pages, locator)
        yield item


def _note_locator(item_id: str, pages: str | None, locator: str | None) -> None:
    from .cite import locator_outside_pages

    if locator and pages and locator_outside_pages(locator, pages):
        print(f"archcite: {item_id}: page {locator} is outside the excerpt's pages ({pages}); cited as given", file=sys.stderr)


def _noting_losses(items: Iterable[Item], fmt: Format, losses: dict[str, list[str]]) -> Iterator[Item]:
    """The items, passed on as they are, with what ``fmt`` cannot carry of each noted on the way."""
    for item in items:
        losses[item.id] = fmt.item_losses(item)
        yield item


def _write_pieces(pieces: Iterator[str], output: str | None) -> None:
    """Write the pieces as they come: to stdout, or atomically to a file."""
    if not output or output == "-":
        sys.stdout.writelines(pieces)
        return
    path = Path(output)
    if path.exists() and not path.is_file():
        # /dev/null, a named pipe, /dev/stderr: written to as they are; a temp file
        # renamed over one would replace the device, or the pipe a reader waits on.
        with _writing(path), path.open("w", encoding="utf-8", newline="") as stream:
            stream.writelines(pieces)
        return
    from .files import write_atomic_pieces

    write_atomic_pieces(path, pieces)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """An OSError while writing ``path`` as archcite's one-line error (a closed pipe is no error: main)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise ArchciteError(f"cannot write: {exc.strerror or exc}", exc.filename or path) from None


def _items(collection: Collection, selectors: list[str], excerpts: bool) -> list[Item]:
    """``Collection.items``, one record at a time so that a long export shows its progress."""
    from .formats import Item

    if selectors:
        sources = _Sources()
        chosen: dict[str, Item] = {}  # by id: an item named twice ('-' and its id) is written once
        for selector in progress(selectors, "reading"):
            found = sources.items(selector, excerpts)
            for item in found[0] if found is not None else collection.items([selector], excerpts):
                chosen.setdefault(item.id, item)
        return list(chosen.values())

    items: list[Item] = []
    for path in progress(collection.files(), "reading"):
        document = collection.load(path)
        items.append(Item(document))
        if excerpts:
            items += [Item(document, excerpt) for excerpt in document.excerpts]
    return items


class _Sources:
    """The selectors that name a file ('seed.txt', 'seed.txt:p19-20') or standard input ('-',
    '-:p19-20'), whole or one excerpt, in any format archcite reads (standard input's told by
    its content: ``format_for_text``).  Each is read once, however many selectors name it,
    and what its reader noted (a field ignored, a credit with no field) is said on stderr,
    as ``import`` says it."""

    def __init__(self) -> None:
        self._stdin: str | None = None
        self._read: dict[str, list[Document]] = {}

    def stdin_text(self) -> str:
        from .files import read_stdin

        if self._stdin is None:
            self._stdin = read_stdin()
        return self._stdin

    def items(self, selector: str, excerpts: bool) -> tuple[list[Item], str] | None:
        """What the selector chooses, and the source it was read from; None for a record id."""
        from .collection import file_items, file_selector
        from .files import STDIN, read_text
        from .formats import format_for_path, format_for_text

        if selector == "-:":
            raise SelectorError("'-:' names no excerpt; write '-' for the whole record, or '-:p19-20'")
        named = (STDIN, selector[2:] or None) if selector == "-" or selector.startswith("-:") else file_selector(selector)
        if named is None:
            return None
        source, excerpt_id = named
        if source not in self._read:
            text = self.stdin_text() if source == STDIN else read_text(source)
            fmt = format_for_text(text) if source == STDIN else format_for_path(source)
            documents, notes = fmt.load_with_notes(text, source)
            for note in notes:
                print(f"archcite: {note}", file=sys.stderr)  # each names its source (and line)
            self._read[source] = documents
        return file_items(self._read[source], source, excerpt_id, excerpts), source


def _check_dated_or_excerpts(item: Item, source: str) -> None:
    """A file holding only excerpts' items (a CSL-JSON export of wcda-114978:p19-20) reads
    back as their document, which has no date of its own there, only theirs: citing the
    whole file would be refused with "give it one in the file".  Say what can be cited."""
    from .cite import DATE_FORMS
    from .files import STDIN

    document = item.document
    if item.excerpt is not None or document.date is not None:
        return
    dated = [excerpt.id for excerpt in document.excerpts if excerpt.date is not None]
    if dated:
        example = f"-:{dated[0]}" if source == STDIN else f"{source}:{dated[0]}"
        which = f"excerpt {dated[0]} has a date: cite it" if len(dated) == 1 else \
            f"excerpts {', '.join(dated)} have dates: cite one of them"
        raise FormatError(
            f"{document.id} has no date, which Chicago and MLA need to cite the whole document; its {which} "
            f"({example}), or give the document a date in the file {DATE_FORMS}",
            source,
        )


def _cite(args: argparse.Namespace) -> int:
    from .cite import Citable, citations, join_entries
    from .forms import get_form

    get_form(args.form)
    collection = _collection(args)
    sources = _Sources()
    citables: list[Citable] = []
    for selector in progress(args.selectors, "reading"):
        found = sources.items(selector, excerpts=False)
        if found is None:
            citables += collection.citables([selector])
        else:
            items, source = found
            for item in items:
                _check_dated_or_excerpts(item, source)
            citables += [Citable.of(item, source=source) for item in items]
    for citable in citables:
        _note_locator(citable.id, citable.pages, args.locator)
    _write(join_entries(citations(citables, args.form, args.markup, args.locator), args.markup, args.form), None)
    return EXIT_OK


def _write(text: str, output: str | None) -> None:
    from .files import write_atomic

    if output and output != "-":
        write_atomic(output, text)
    else:
        sys.stdout.write(text)


def _print_report(losses: dict[str, list[str]], out: TextIO) -> None:
    for item_id, lost in losses.items():
        for fact in lost:
            print(f"{item_id}: not carried as a structured field: {fact}", file=out)


def progress(things: Sequence[T], label: str) -> Iterator[T]:
    """Yield ``things``, drawing a bar on stderr when it is a terminal and the run is long.
    Silent otherwise: a pipe or a log file gets no carriage returns."""
    total = len(things)
    if total < PROGRESS_MIN or not sys.stderr.isatty():
        yield from things
        return
    width = 30
    for done, thing in enumerate(things, 1):
        yield thing
        if done == total or done % max(1, total // 100) == 0:
            filled = width * done // total
            sys.stderr.write(f"\rarchcite: {label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stderr.flush()
    sys.stderr.write("\n")


def _styles(args: argparse.Namespace) -> int:
    from .forms import FORMS
    from .markup import MARKUPS
    from .render import style_names, style_path

    styles = [{"name": name, "path": str(style_path(name))} for name in style_names()]
    forms = [
        {"name": f.name, "style": f.style, "mode": f.mode, "description": f.description} for f in FORMS.values()
    ]
    if args.json:
        json.dump({"styles": styles, "forms": forms, "markups": list(MARKUPS)}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print("styles (load them in Zotero, or give them to pandoc --csl):")
    for style in styles:
        print(f"  {style['name']}\t{style['path']}")
    print("forms (archcite export --format FORM, archcite cite --form FORM):")
    for form in forms:
        print(f"  {form['name']}\t{form['style']}\t{form['description']}")
    print(f"markups (--markup): {', '.join(MARKUPS)}")
    return EXIT_OK


SHELLS = ("bash", "zsh")


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """A completion script generated from the parser, so that it cannot fall behind it:
    commands, each command's options, and the values of --format, --form, --markup."""
    from .formats import output_formats
    from .forms import FORMS
    from .markup import MARKUPS

    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    commands: dict[str, list[str]] = {
        name: [o for action in sub._actions for o in action.option_strings] for name, sub in subparsers.choices.items()
    }
    top = list(commands) + [o for action in parser._actions for o in action.option_strings]
    values = {
        "--format|-f": output_formats(),
        "--form": list(FORMS),
        "--markup": list(MARKUPS),
        "--records": None,  # a folder: bash's own completion
    }
    cases = "\n".join(f"        {name}) opts={shlex.quote(' '.join(opts))} ;;" for name, opts in commands.items())
    value_cases = "\n".join(
        f"        {option}) COMPREPLY=($(compgen -W {shlex.quote(' '.join(words))} -- \"$cur\")); return ;;"
        if words is not None
        else f"        {option}) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;"
        for option, words in values.items()
    )
    script = f"""\
# archcite {shell} completion; load it with: source <(archcite completion {shell})
_archcite() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" command="" opts="" i
    case "$prev" in
{value_cases}
    esac
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in -*) ;; *) command="${{COMP_WORDS[i]}}"; break ;; esac
    done
    case "$command" in
        "") COMPREPLY=($(compgen -W {shlex.quote(' '.join(top))} -- "$cur")); return ;;
        completion) COMPREPLY=($(compgen -W {shlex.quote(' '.join(SHELLS))} -- "$cur")); return ;;
{cases}
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    fi
}}
complete -o default -F _archcite archcite
"""
    if shell == "zsh":
        # zsh runs bash completion functions through bashcompinit: one script for both.
        script = "#compdef archcite\nautoload -U +X bashcompinit && bashcompinit\n" + script
    return script


def _completion(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    sys.stdout.write(completion_script(parser, args.shell))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .schema import record_schema

    json.dump(record_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_OK


if __name__ == "__main__":
    run()

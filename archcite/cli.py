"""The ``archcite`` command: argument parsing and printing only.

Exit codes: 0 success, 1 bad input (a record, a selector, a format), 2 usage.
Data goes to stdout, messages to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import ArchciteError

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
        return code
    except ArchciteError as exc:
        print(f"archcite: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    from .formats import FORMATS
    from .forms import FORMS as FORMS_LIST

    parser = argparse.ArgumentParser(
        prog="archcite",
        description="Cite translated archival documents, and excerpts of them, without losing their provenance.",
        epilog="example: archcite import record.txt && archcite show wcda-114978:p19-20",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"archcite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, example: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, epilog=f"example: {example}")
        p.add_argument(
            "--records",
            metavar="DIR",
            type=Path,
            help="records folder (default: $ARCHCITE_RECORDS, else ./records)",
        )
        return p

    p = command("import", "read record files (.txt, .yaml, .json, .bib) into the records folder", "archcite import ~/Downloads/114978.txt")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files to import ('-' reads a record text from stdin)")
    p.add_argument("--keep-going", action="store_true", help="import the valid records even when some are broken")
    p.set_defaults(run=_import)

    p = command("validate", "check every record file; print one line per problem", "archcite validate --records records/")
    p.set_defaults(run=_validate)

    p = command("list", "list the records", "archcite list --json")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=_list)

    p = command("show", "print a record, or one excerpt of it", "archcite show wcda-114978:p19-20")
    p.add_argument("selector", metavar="SELECTOR", help="record id (wcda-114978) or id:excerpt (wcda-114978:p19-20)")
    p.set_defaults(run=_show)

    writable = ", ".join(name for name, fmt in FORMATS.items() if fmt.can_dump)
    p = command("export", "write records in a data format or as citations", "archcite export wcda-114978:p19-20 --format chicago-note --locator 19")
    p.add_argument("selectors", nargs="*", metavar="SELECTOR", help="ids, id:excerpt selectors or record files (default: all)")
    p.add_argument("--format", "-f", required=True, metavar="FORMAT", help=f"one of: {writable}")
    p.add_argument("--excerpts", action="store_true", help="also export each document's excerpts as items")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    p.add_argument("--markup", default="text", metavar="MARKUP", help="citations: text (default), markdown, html or rtf")
    p.add_argument("--locator", metavar="PAGE", help="citations: the page cited, for notes and in-text citations")
    p.add_argument("--ascii", action="store_true", help="BibTeX: convert non-ASCII characters to LaTeX")
    p.add_argument("--report", action="store_true", help="list on stderr what the format could not carry")
    p.set_defaults(run=_export)

    p = command("cite", "print the Chicago full note for a document or excerpt (plain text)", "archcite cite wcda-114978:p19-20 --locator 19")
    p.add_argument("selectors", nargs="+", metavar="SELECTOR", help="ids, id:excerpt selectors or record files")
    p.add_argument("--form", default="chicago-note", metavar="FORM", help=f"one of: {', '.join(FORMS_LIST)} (default: chicago-note)")
    p.add_argument("--markup", default="text", metavar="MARKUP", help="text (default), markdown, html or rtf")
    p.add_argument("--locator", metavar="PAGE", help="the page cited")
    p.set_defaults(run=_cite)

    p = sub.add_parser("schema", help="print the JSON Schema of record files", epilog="example: archcite schema > record.schema.json")
    p.set_defaults(run=_schema)
    return parser


def _collection(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .collection import Collection

    return Collection(args.records)


def _import(args: argparse.Namespace) -> int:
    from .files import decode, read_text
    from .formats import format_for_path, get_format
    from .models import Document

    collection = _collection(args)
    loaded: dict[str, tuple[Document, str]] = {}
    failures = 0
    for name in args.paths:
        try:
            if name == "-":
                documents = get_format("record-text").load(decode(sys.stdin.buffer.read(), "<stdin>"), "<stdin>")
            else:
                documents, notes = format_for_path(name).load_with_notes(read_text(name), name, args.keep_going)
                for note in notes:
                    print(f"archcite: {name}: {note}", file=sys.stderr)
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
    # Everything is read before anything is written: a broken input changes nothing.
    for document, _ in loaded.values():
        path, changed = collection.add(document)
        print(f"{document.id}\t{path}" + ("" if changed else "\t(unchanged)"))
    return EXIT_BAD_INPUT if failures else EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    collection = _collection(args)
    problems = collection.validate()
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(collection.files())
    if problems:
        return EXIT_BAD_INPUT
    print(f"{count} record{'s' if count != 1 else ''} valid in {collection.folder}", file=sys.stderr)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    rows = []
    for document in _collection(args):
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
            print(f"{row['id']}\t{row['date'] or ''}\t{row['title']}\t{len(row['excerpts'])} excerpts")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from .formats import yaml_record

    item = _collection(args).select(args.selector)
    if item.excerpt is None:
        sys.stdout.write(yaml_record.dump_document(item.document))
    else:
        sys.stdout.write(yaml_record.dump_excerpt(item.document, item.excerpt))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from .formats import ExportOptions, get_format

    fmt = get_format(args.format)
    items = _collection(args).items(args.selectors, excerpts=args.excerpts)
    text = fmt.dump(items, ExportOptions(ascii=args.ascii, markup=args.markup, locator=args.locator))
    if args.report:
        _print_report(fmt.losses(items), sys.stderr)
    _write(text, args.output)
    return EXIT_OK


def _cite(args: argparse.Namespace) -> int:
    from .formats import ExportOptions, get_format
    from .forms import get_form

    get_form(args.form)
    items = _collection(args).items(args.selectors)
    _write(get_format(args.form).dump(items, ExportOptions(markup=args.markup, locator=args.locator)), None)
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


def _schema(args: argparse.Namespace) -> int:
    from .schema import record_schema

    json.dump(record_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

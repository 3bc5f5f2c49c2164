"""archcite's own record file: one human-editable YAML file per document.

ruamel.yaml is used rather than PyYAML because it keeps comments, key order
and quoting when a file is read and written back, so the tool can update a
record a historian has annotated by hand without wiping the annotations.  Its
round-trip loader builds only plain maps, lists and scalars (no Python objects).

ruamel is imported by the functions that use it, not with the module: a record
the fast reader (libyaml, below) reads never needs it, and importing it is about
a tenth of an uncached ``archcite cite``.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import ArchciteError, RecordError
from ..models import Document, Excerpt
from . import ExportOptions, Item

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

HEADER = (
    "# yaml-language-server: $schema=record.schema.json\n"
    "# archcite record. Edit freely: comments are kept when archcite updates this file.\n"
    "# Fields and their meaning: `archcite schema` prints the JSON Schema.\n"
)
MAX_NODES = 200_000
# ruamel's parser recurses once per level of nesting, and its scanner slows down
# badly with deep flow nesting ("[[[[..."): 3,000 levels take ten seconds before
# the RecursionError.  No record is more than a few levels deep, so refuse early.
MAX_DEPTH = 100
# One document per file; ruamel reads about 1.5 million characters a second.
MAX_CHARS = 4_000_000
_FLOW = re.compile(r"[\[\]{}]")


# The layout of record files, for ruamel (_yaml) and the fast writer (yaml_writer) alike.
_WIDTH = 100  # where long plain and single-quoted text folds
_MAP_INDENT = 2  # a nested mapping's keys, and a value's continuation lines, below their key
_DASH_INDENT = 2  # a sequence's dashes below their key (ruamel's "offset")
_ITEM_INDENT = 4  # a sequence's items below their key (ruamel's "sequence" indent)


@lru_cache(maxsize=1)
def _emitter() -> type:
    """ruamel's round-trip emitter, writing double-quoted scalars on one line."""
    from ruamel.yaml.emitter import RoundTripEmitter

    class Emitter(RoundTripEmitter):
        """ruamel folds long double-quoted lines, and where the fold falls just after an
        escape ("\\t", "\\L") it writes a line break that reads back as a space: the text
        changes.  Double quotes are only used for short or unusual values, so they stay
        on one line."""

        def write_double_quoted(self, text: Any, split: Any = True) -> None:
            super().write_double_quoted(text, split=False)

    return Emitter


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Emitter = _emitter()
    yaml.width = _WIDTH
    yaml.indent(mapping=_MAP_INDENT, sequence=_ITEM_INDENT, offset=_DASH_INDENT)
    yaml.preserve_quotes = True
    return yaml


# --- reading ------------------------------------------------------------------


def parse(text: str, path: str | None = None) -> Any:
    """YAML text -> ruamel's commented tree, with YAML errors located."""
    if len(text) > MAX_CHARS:
        raise RecordError(
            f"{len(text) / 1e6:.0f} million characters is too long for one record file (the limit is "
            f"{MAX_CHARS // 1_000_000} million); is it a record file? Split the document into several records",
            path,
        )
    _check_depth(text, path)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context == "while scanning a simple key" and exc.context_mark is not None:
            # The scanner notices the missing ':' only on the line after the key's.
            mark = exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (exc.problem or exc.context or "malformed YAML").strip()
        raise RecordError(f"YAML syntax: {problem}{_syntax_hint(problem)}", path, line) from None
    except YAMLError as exc:
        raise RecordError(f"YAML: {str(exc).splitlines()[0]}", path) from None
    except RecursionError:
        # Block nesting ("- - - - x", deep indentation) that passed _check_depth.
        raise RecordError(f"YAML nested too deep; a record file is only a few levels deep", path) from None
    except TypeError:
        # ruamel fails with a bare TypeError on a key that is itself a mapping or list ("? a: b").
        raise RecordError("YAML: a key that is a mapping or a list; keys are plain names", path) from None
    except ValueError:
        # ruamel makes an unquoted YYYY-MM-DD a date, and fails on one off the calendar
        # ("1961-02-31") with a bare ValueError, before archcite sees the value.
        value, line = _impossible_date(text)
        raise RecordError(f"{value} is not a day of the calendar; correct the date", path, line) from None
    _check_size(tree, path)
    return tree


# What to do about the syntax errors a hand edit typically makes; the parser's own
# words name the symptom, not the cure.
_SYNTAX_HINTS = (
    ("found character '\\t'", "indent with spaces: YAML does not allow tabs"),
    ("could not find expected ':'", "write a field as `name: value`, with a space after the colon"),
    # A ": " inside a value, or a field indented deeper than the one above (read as more
    # of that field's value).
    (
        "mapping values are not allowed here",
        'put a value that holds ": " in quotes (place: "Moscow: Nauka"); a field indents as the fields beside it',
    ),
    ("expected <block end>", "indent this line as the other fields of its section (two spaces per level)"),
)


def _syntax_hint(problem: str) -> str:
    for symptom, hint in _SYNTAX_HINTS:
        if problem.startswith(symptom):
            return f"; {hint}"
    return ""


def _check_depth(text: str, path: str | None) -> None:
    """Refuse deep flow nesting before ruamel spends seconds on it.  Brackets inside
    quoted text count too: harmless, as no real record nests them 100 deep."""
    depth = 0
    for match in _FLOW.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise RecordError(
                f"YAML brackets nested more than {MAX_DEPTH} levels deep; a record file is only a few levels deep", path, line
            )


_UNQUOTED_DATE = re.compile(r"""(?<![\w"'.-])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![\w"'.:-])""")


def _impossible_date(text: str) -> tuple[str, int | None]:
    """The first YYYY-MM-DD in ``text`` that is no day of the calendar, and its line."""
    for match in _UNQUOTED_DATE.finditer(text):
        try:
            _dt.date(*map(int, match.groups()))
        except ValueError:
            return match.group(), text.count("\n", 0, match.start()) + 1
    return "a date", None


def _check_size(tree: Any, path: str | None) -> None:
    """Refuse alias bombs: count nodes as a reader of the expanded tree would."""
    count = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise RecordError("YAML expands to too many values (aliases nested too deep?)", path)
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def load(text: str, path: str | None = None) -> Document:
    data = fast_data(text)
    if isinstance(data, dict):
        try:
            return Document.model_validate(data)
        except ValidationError:
            pass  # reported below, from ruamel's tree, which knows the lines
    parts = _documents_in(text) if _may_hold_markers(text) else []
    if len(parts) > 1:
        # ruamel would say "but found another document": say what to do instead.
        raise RecordError(
            "a record file holds one record, and this one holds several; `archcite import` it to "
            "make one record file each",
            path,
            parts[1][0],
        )
    tree = parse(text, path)
    if tree is None:
        raise RecordError("the file is empty; a record needs at least id and title", path, 1)
    if not isinstance(tree, dict):
        raise RecordError("a record file must be a YAML mapping (key: value lines)", path, 1)
    try:
        return Document.model_validate(_plain(tree))
    except ValidationError as exc:
        problems: list[ArchciteError] = [_problem(tree, err, path) for err in exc.errors()]
        first = problems[0]
        first.problems = problems
        raise first from None


# --- the fast reader -----------------------------------------------------------
#
# ruamel's round-trip reader is pure Python: about 15 ms for a record of a few kB, which
# makes reading a folder of thousands of records take minutes.  libyaml, through PyYAML's
# C parser, builds the same node tree about twenty times faster.  The two disagree on
# some points (libyaml reads YAML 1.1: "yes" is a boolean there, "1:30" a number), so
# libyaml only composes the nodes: what each plain scalar is, is decided here as ruamel
# decides it (YAML 1.2, below), and whenever the answer could differ from ruamel's reading
# (an explicit tag, an alias, a duplicate key, a number that is not a plain decimal, a
# %YAML directive, a syntax error...) the fast reader gives up and ruamel reads the file.

_STR, _NULL, _BOOL, _INT, _DATE, _OTHER = (f"archcite:{kind}" for kind in ("str", "null", "bool", "int", "date", "other"))
_MAP, _SEQ = "archcite:map", "archcite:seq"
_PLAIN_INT = re.compile(r"[1-9][0-9]*")  # ruamel reads "0" as its own ScalarInt
_PLAIN_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Where libyaml and ruamel are not known to agree: directives and document markers
# (libyaml takes "x\n...\n...\n" as one document, ruamel as several), tabs (ruamel
# refuses them in plain scalars, libyaml does not), the line breaks YAML 1.1 has besides
# "\n" and "\r", a byte-order mark, block nesting deep enough for PyYAML's C composer
# (which recurses without Python's recursion limit) to matter, and a block scalar's
# header followed by "#" with no space between (">#", "|-#": libyaml reads a comment,
# ruamel refuses the file).
_UNSURE_TEXT = re.compile("^(?:%|---|\\.\\.\\.)|[\t\x85\u2028\u2029\ufeff]|^[ ?:-]{200}|[|>][-+0-9]*#", re.MULTILINE)

# What a plain (unquoted, untagged) scalar is in YAML 1.2, the version ruamel reads when
# no directive names another (and a directive makes the fast reader give up).  ruamel
# decides by the first character, then by patterns that must match the whole value.
# The fast reader keeps text, null, true/false, decimals from 1 up and YYYY-MM-DD dates;
# every other kind ruamel knows ("<<", "=", any other number, a time) gives up.
# Words, matched whole:
_PLAIN_WORDS = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), _NULL),
    **dict.fromkeys(("true", "True", "TRUE", "false", "False", "FALSE"), _BOOL),
    **dict.fromkeys(("<<", "=", "!", "&", "*"), _OTHER),
}
# Numbers and timestamps; ruamel tries these only on values that start with one of:
_NUMERIC_START = frozenset("-+.0123456789")
_NUMBER_OR_TIME = re.compile(
    r"""
    [-+]? (?:
        [0-9] [0-9_]* (?: \. [0-9_]* (?: [eE] [-+]? [0-9]+ )?    # 1.5, 1., 1.5e3
                        | [eE] [-+]? [0-9]+ )                      # 1e3
      | \. (?: [0-9_]+ (?: [eE] [-+] [0-9]+ )? | inf | Inf | INF )  # .5, .5e+3 (signed exponent), .inf
      | 0b [01_]+ | 0o [0-7_]+ | 0x [0-9a-fA-F_]+                   # other bases
      | [0-9_]+                                                      # decimal, and octal without "o"
    )
  | \. (?: nan | NaN | NAN )
  | [0-9]{4} - [0-9]{2} - [0-9]{2}                                   # a day
  | [0-9]{4} - [0-9]{1,2} - [0-9]{1,2}                               # a day and a time
    (?: [Tt] | [\ \t]+ ) [0-9]{1,2} : [0-9]{2} : [0-9]{2} (?: \. [0-9]* )?
    (?: [\ \t]* (?: Z | [-+] [0-9]{1,2} (?: : [0-9]{2} )? ) )?
    """,
    re.VERBOSE,
)


def _plain_kind(value: str) -> str:
    """What ruamel makes of the plain scalar ``value``, as the fast reader's kinds."""
    kind = _PLAIN_WORDS.get(value)
    if kind is not None:
        return kind
    if value[-1] == "\n":
        # ruamel's patterns end in "$", which also matches before a final line break;
        # a plain scalar never ends in one, but if it did, ruamel would decide.
        return _OTHER
    if value[0] in _NUMERIC_START:
        if _PLAIN_INT.fullmatch(value):
            return _INT
        if _PLAIN_DATE.fullmatch(value):
            return _DATE
        if _NUMBER_OR_TIME.fullmatch(value):
            return _OTHER
    return _STR


# What the fast writer (yaml_writer) and the layout reader (yaml_layout) agree on: the
# one-letter escapes ruamel writes in double-quoted text (\x, \u and \U for the rest),
# and where text stops being plain text to YAML in block context, at its start (a document
# marker, an indicator; "-", "?" and ":" only before white space) and anywhere in it
# (": ", " #", a final ":").
_ESCAPES = {"\0": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f", "\r": "r",
            "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\u2028": "L", "\u2029": "P"}  # fmt: skip
_WS = "\0 \t\r\n\x85\u2028\u2029"
_PLAIN_START_BREAK = f"---|\\.\\.\\.|[#,\\[\\]{{}}&*!|>'\"%@`]|[-?:](?:[{_WS}]|\\Z)"
_PLAIN_INSIDE_BREAK = f":(?:[{_WS}]|\\Z)|[{_WS}]#"


class _GiveUp(Exception):
    """The fast reader cannot be sure it reads what ruamel reads."""


def fast_data(text: str) -> Any:
    """The plain data ruamel's reader and ``_plain`` would give for ``text``, read by
    libyaml; None when the fast reader cannot be sure (ruamel must read the text)."""
    if len(text) > MAX_CHARS or _UNSURE_TEXT.search(text):
        return None
    from .yaml_layout import read as read_layout  # here: it imports this module

    data = read_layout(text)
    if data is not None:
        return data
    loader_class = _fast_loader()
    if loader_class is None or _too_deep(text):
        return None
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        return _node_data(node, set()) if node is not None else None
    except Exception:  # any error, even one from libyaml: ruamel reads it and says what is wrong
        return None


def _too_deep(text: str) -> bool:
    """Flow nesting that parse() refuses; deeper would also overflow the C composer."""
    try:
        _check_depth(text, None)
    except RecordError:
        return True
    return False


def _node_data(node: Any, seen: set[int]) -> Any:
    if id(node) in seen:
        raise _GiveUp("an alias")  # ruamel reads anchors and aliases, and checks their expansion
    seen.add(id(node))
    tag, value = node.tag, node.value
    if tag == _SEQ:
        return [_node_data(item, seen) for item in value]
    if tag == _MAP:
        data: dict[str, Any] = {}
        for key_node, value_node in value:
            key = _node_data(key_node, seen)
            if not isinstance(key, str) or key in data:
                raise _GiveUp("a key that is not text, or a duplicate key")
            data[key] = _node_data(value_node, seen)
        return data
    return scalar_data(tag, value)


def scalar_data(kind: str, value: str) -> Any:
    """The value of a scalar of the given kind (``_plain_kind``'s answer for a plain one,
    ``_STR`` for a quoted one), as ruamel's reader and ``_plain`` would give it."""
    if kind == _STR:
        return value
    if kind == _NULL:
        return None
    if kind == _BOOL:
        return value in ("true", "True", "TRUE")
    if kind == _INT:
        return int(value)
    if kind == _DATE and (date := _PLAIN_DATE.fullmatch(value)):
        return _dt.date(*map(int, date.groups()))  # a day off the calendar raises: ruamel says so
    raise _GiveUp(f"a value of kind {kind}")


@lru_cache(maxsize=1)
def _fast_loader() -> type | None:
    """PyYAML's C parser, with plain scalars read as ruamel reads them; None without libyaml."""
    try:
        import yaml
        from yaml import CBaseLoader
    except ImportError:
        return None

    class Loader(CBaseLoader):
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode:
                if implicit[0]:
                    return _plain_kind(value)
                return _STR if implicit[1] else _OTHER
            return _MAP if kind is yaml.MappingNode else _SEQ

    return Loader


def _problem(tree: Any, err: Any, path: str | None) -> RecordError:
    where = ".".join(str(p) for p in err["loc"])
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = f"unknown field {where!r}; see `archcite schema` for the fields a record has"
    elif err["type"] == "missing":
        message = f"{where}: required field is missing"
    elif where:
        message = f"{where}: {message}"
    return RecordError(message, path, line_of(tree, err["loc"]))


# A line that starts a YAML document.  YAML forbids "---" at the start of a line inside any
# scalar (a block scalar's lines are indented; a quoted one may not hold it), so splitting at
# these lines splits the stream where a YAML reader would.
_DOCUMENT_START = re.compile(r"^---(?=[ \t\r\n]|$)", re.MULTILINE)


def load_documents(text: str, path: str | None = None) -> list[Document]:
    """The record of a record file; or each record of a stream of several, as
    ``archcite export --format yaml`` writes them ("---" between records)."""
    if not _may_hold_markers(text):
        return [load(text, path)]
    parts = _documents_in(text)
    if not parts:
        raise RecordError("the file holds no record, only document markers and comments", path, 1)
    documents: list[Document] = []
    first_line: dict[str, int] = {}
    for line, part in parts:
        try:
            document = load(part, path)
        except RecordError as exc:
            for problem in exc.problems:
                if problem.line is not None:
                    problem.line += line - 1
            raise
        if document.id in first_line:
            raise RecordError(
                f"a second record with id {document.id!r} (the first starts at line {first_line[document.id]}); "
                "each record in a file needs its own id",
                path,
                line,
            )
        first_line[document.id] = line
        documents.append(document)
    return documents


def _may_hold_markers(text: str) -> bool:
    # str.find, not the regex: "^" searched line by line took 1.5 s over 50 MB.  Text over the
    # size limit goes on to be refused as it always was.
    return len(text) <= MAX_CHARS and (text.startswith("---") or "\n---" in text)


def _documents_in(text: str) -> list[tuple[int, str]]:
    """The YAML documents of a stream that hold something: (the line each starts at, its
    text without the "---"), with the lines of each counted as in the whole text."""
    starts = [match.start() for match in _DOCUMENT_START.finditer(text)]
    bounds = [0, *starts, len(text)]
    parts = []
    for begin, end in zip(bounds, bounds[1:]):
        part = text[begin:end]
        if begin in starts:
            part = part[3:]  # the marker itself; what follows it on its line stays
        if _holds_content(part):  # not the comments before the first "---", nor an empty document
            parts.append((text.count("\n", 0, begin) + 1, part))
    return parts


_CONTENT_LINE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)  # a line that is neither blank nor a comment


def _holds_content(text: str) -> bool:
    return _CONTENT_LINE.search(text) is not None


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def line_of(tree: Any, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the YAML node at a Pydantic error location."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    line: int | None = tree.lc.line + 1 if hasattr(tree, "lc") else None
    node = tree
    for part in loc:
        try:
            if isinstance(node, CommentedMap) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    return line


# --- writing ------------------------------------------------------------------


def to_data(document: Document) -> dict[str, Any]:
    """The document as the plain data a record file holds: defaults left out."""
    data: dict[str, Any] = document.model_dump(mode="json", exclude_defaults=True)
    return data


def _styled(value: Any) -> Any:
    """Long text as literal blocks, dates quoted so YAML does not retype them."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    from .yaml_writer import _RETYPED, _YAML_BREAKS, _literal_safe

    def styled(value: Any) -> Any:
        if isinstance(value, dict):
            out = CommentedMap()
            for key, item in value.items():
                out[key] = styled(item)
            return out
        if isinstance(value, list):
            return CommentedSeq(styled(v) for v in value)
        if isinstance(value, str):
            if "\n" in value and _literal_safe(value):
                return LiteralScalarString(value)
            if _RETYPED.match(value) or _YAML_BREAKS.search(value) or "  " in value:
                # "  ": where ruamel folds plain text before a word, the spaces before the
                # word stay at the end of the line, and YAML reads all but one of them away.
                return DoubleQuotedScalarString(value)
        return value

    return styled(value)


def dump_document(document: Document) -> str:
    return HEADER + _dump_data(to_data(document))


def dump_excerpt(document: Document, excerpt: Excerpt) -> str:
    """One excerpt, with the id and title of the document it belongs to."""
    data = {"document": document.id, "document_title": document.title}
    data.update(excerpt.model_dump(mode="json", exclude_defaults=True))
    return _dump_data(data)


def _dump_data(data: dict[str, Any]) -> str:
    from .yaml_writer import fast_dump  # imported to write: reading has no use for its patterns

    fast = fast_dump(data)
    return fast if fast is not None else _ruamel_dump(data)


def _ruamel_dump(data: dict[str, Any]) -> str:
    stream = io.StringIO()
    _yaml().dump(_styled(data), stream)
    return stream.getvalue()




def update(existing: str, document: Document, path: str | None = None) -> str:
    """Write ``document`` over an existing record file, keeping its comments and layout
    wherever the values did not change."""
    from ruamel.yaml.comments import CommentedMap

    tree = parse(existing, path)
    if not isinstance(tree, CommentedMap):
        return dump_document(document)
    _merge(tree, _styled(to_data(document)))
    stream = io.StringIO()
    _yaml().dump(tree, stream)
    return stream.getvalue()


def _merge(old: CommentedMap, new: CommentedMap) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    for key in list(old):
        if key not in new:
            del old[key]
    for index, (key, value) in enumerate(new.items()):
        if key in old and isinstance(old[key], CommentedMap) and isinstance(value, CommentedMap):
            _merge(old[key], value)
        elif key in old and isinstance(old[key], CommentedSeq) and isinstance(value, CommentedSeq):
            _merge_list(old[key], value)
        elif key not in old:
            old.insert(min(index, len(old)), key, value)
        elif _plain(old[key]) != _plain(value):
            old[key] = value


def _merge_list(old: CommentedSeq, new: CommentedSeq) -> None:
    from ruamel.yaml.comments import CommentedMap

    for index, value in enumerate(new):
        if index >= len(old):
            old.append(value)
        elif isinstance(old[index], CommentedMap) and isinstance(value, CommentedMap):
            _merge(old[index], value)
        elif _plain(old[index]) != _plain(value):
            old[index] = value
    del old[len(new) :]


def dump(items: Sequence[Item], options: ExportOptions) -> str:
    """The registry's entry point: the documents of the items, as YAML documents."""
    seen: dict[str, Document] = {}
    for item in items:
        seen.setdefault(item.document.id, item.document)
    return "---\n".join(dump_document(d) for d in seen.values())

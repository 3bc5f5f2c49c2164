"""The fast writer of record files: the characters ruamel writes, in a fraction of its time.

ruamel's emitter is pure Python and takes about 12 ms a record, most of the time of an
import.  The fast writer writes the same characters as ruamel (configured by
``yaml_record._yaml()``: width 100, mappings indented 2, sequence dashes 2 in and their items
4) for what record files hold: block mappings with plain keys, sequences of mappings or
scalars, text, int and bool.  Text gets the style ruamel would give it (``_styled``'s choice
first, then ruamel's own: plain, single-quoted or double-quoted) and is folded where ruamel
folds it.  Anything it is not sure of (an empty mapping or list, a list in a list, a key that
is not a plain name, a float or null, a literal block ruamel would give an indentation
indicator...) makes it give up: ``fast_dump`` returns None and ruamel writes the data.
tests/test_yaml_writer.py holds the two writers to the same bytes.

A module of its own, imported when something is written: reading a record (all that ``cite``
and ``show`` do) has no use for the patterns below, whose compiling was about 6 ms of a
``cite`` that reads its record afresh.
"""

from __future__ import annotations

import re
from typing import Any

from .yaml_record import (
    _DASH_INDENT, _ESCAPES, _ITEM_INDENT, _MAP_INDENT, _PLAIN_INSIDE_BREAK, _PLAIN_START_BREAK, _STR, _WIDTH, _plain_kind,
)  # fmt: skip

# Characters YAML takes as line breaks besides "\n": only double quotes keep them
# (as escapes); in plain, single-quoted or literal scalars they read back changed.
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")

# Plain scalars YAML would read back as numbers, dates, booleans or null.
_RETYPED = re.compile(r"^(?:[-+]?[0-9][0-9_.:eE+-]*|\.inf|\.nan|true|false|yes|no|on|off|null|~|)$", re.IGNORECASE)


def _literal_safe(text: str) -> bool:
    lines = text.split("\n")
    return (
        all(line == line.rstrip() for line in lines)
        and not text.startswith((" ", "\n"))
        and text == text.rstrip("\n")
        and all(ch == "\n" or ch >= " " for ch in text)
        # YAML reads these as line breaks too: in a literal block they would break the
        # block's indentation and the file would not read back.
        and not _YAML_BREAKS.search(text)
        # Characters YAML does not allow in a file (DEL, C1 controls...): only escapes, in
        # double quotes, can hold them.  In a literal block, ruamel wrote them as they are,
        # and then refused to read the file.
        and not _SPECIAL.search(text)
    )


class _CannotWrite(Exception):
    """The fast writer cannot be sure it writes what ruamel writes."""


# Keys ruamel writes plain, as they are; record files only have field names.
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_MAX_INDENT = 40  # records are a few levels deep; deeper, lines would be mostly indentation
_MAX_INT = 10**15  # far beyond any record's number; str() of a huge int is slow or refused
# What ruamel's analyze_scalar calls special (allow_unicode on): only double quotes can
# hold these, as escapes.  Everything else may be written as it is.
_SPECIAL = re.compile("[^\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff")
# What keeps analyze_scalar from allowing a plain scalar in block context: yaml_record's
# breaks of plain text, leading or trailing spaces, line breaks.  (Special characters are
# checked first.)
_NOT_PLAIN = re.compile(f"\\A(?:{_PLAIN_START_BREAK}|[ ])|{_PLAIN_INSIDE_BREAK}|[ ]\\Z|[\\n\\x85\\u2028\\u2029]")
_SPACE_RUNS = re.compile("( +)")
# What ruamel escapes in double quotes: the line breaks YAML has besides "\n" are printable
# but would read back as breaks; a byte-order mark is printable but invisible.
_ESCAPED = re.compile('[^\\x20-\\x7e\\xa0-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010ffff]|["\\\\\\u2028\\u2029\\ufeff]')


def fast_dump(data: dict[str, Any]) -> str | None:
    """The YAML ruamel's _yaml() writes for ``data`` (after _styled), or None when the
    fast writer cannot be sure to write the same."""
    if not isinstance(data, dict) or not data:
        return None
    out: list[str] = []
    try:
        _write_mapping(data, 0, out, inline=True)
    except _CannotWrite:
        return None
    out.append("\n")
    return "".join(out)


def _write_mapping(data: dict[str, Any], indent: int, out: list[str], inline: bool) -> None:
    """Keys at column ``indent``; the first on the current line when ``inline`` (after a
    sequence's dash, or at the top of the file)."""
    if indent > _MAX_INDENT:
        raise _CannotWrite("nested too deep")
    line = "\n" + " " * indent
    for key, value in data.items():
        if not isinstance(key, str) or not _PLAIN_KEY.fullmatch(key) or plain_reads_as_non_string(key):
            raise _CannotWrite(f"a key ruamel might quote: {key!r}")
        if inline:
            inline = False
        else:
            out.append(line)
        out.append(key)
        out.append(":")
        if isinstance(value, dict):
            if not value:
                raise _CannotWrite("an empty mapping (ruamel writes {})")
            out.append("\n" + " " * (indent + _MAP_INDENT))
            _write_mapping(value, indent + _MAP_INDENT, out, inline=True)
        elif isinstance(value, list):
            _write_sequence(value, indent + _DASH_INDENT, out)
        else:
            # ruamel writes one space after the colon whatever the style, and the
            # scalar's continuation lines are indented one step below the key.
            out.append(" ")
            _write_scalar(value, indent + len(key) + 2, indent + _MAP_INDENT, out)


def _write_sequence(items: list[Any], dash: int, out: list[str]) -> None:
    if not items:
        raise _CannotWrite("an empty sequence (ruamel writes [])")
    line = "\n" + " " * dash + "- "
    column = dash + _ITEM_INDENT - _DASH_INDENT
    for item in items:
        out.append(line)
        if isinstance(item, dict):
            if not item:
                raise _CannotWrite("an empty mapping in a sequence")
            _write_mapping(item, column, out, inline=True)
        elif isinstance(item, list):
            raise _CannotWrite("a sequence in a sequence")
        else:
            # A scalar item starts at its own indentation: ruamel never breaks before it.
            _write_scalar(item, column, column, out)


def _write_scalar(value: Any, column: int, indent: int, out: list[str]) -> None:
    """``value`` from ``column``, its continuation lines (folds, literal lines) at ``indent``."""
    if isinstance(value, bool):  # before int: bool is an int
        _write_plain("true" if value else "false", column, indent, out)  # may move past the width too
    elif isinstance(value, int):
        if not -_MAX_INT < value < _MAX_INT:
            raise _CannotWrite("a huge int")
        _write_plain(str(value), column, indent, out)
    elif isinstance(value, str):
        _write_text(value, column, indent, out)
    else:
        raise _CannotWrite(f"a {type(value).__name__}")


def _write_text(text: str, column: int, indent: int, out: list[str]) -> None:
    # _styled's choices first: they override ruamel's.
    if "\n" in text and _literal_safe(text):
        _write_literal(text, indent, out)
    elif _RETYPED.match(text) or _YAML_BREAKS.search(text) or "  " in text or _SPECIAL.search(text):
        _write_double_quoted(text, out)
    elif not _NOT_PLAIN.search(text) and not plain_reads_as_non_string(text):
        _write_plain(text, column, indent, out)
    elif "'" in text or "\n" in text:
        # ruamel's choice: double quotes rather than doubling a single quote.
        _write_double_quoted(text, out)
    else:
        _write_single_quoted(text, column, indent, out)


def _write_plain(text: str, column: int, indent: int, out: list[str]) -> None:
    """ruamel folds plain text at a single space once a line has reached the width, and
    moves a word that would cross the width to the next line, leaving the space before it
    at the end of the line."""
    if column + len(text) <= _WIDTH:
        out.append(text)  # neither rule can apply on a line that ends within the width
        return
    line = "\n" + " " * indent
    for index, part in enumerate(_SPACE_RUNS.split(text)):
        if index % 2:  # spaces
            if len(part) == 1 and column >= _WIDTH:
                out.append(line)
                column = indent
                continue
        elif column + len(part) > _WIDTH and column > indent:
            out.append(line)
            column = indent
        out.append(part)
        column += len(part)


def _write_single_quoted(text: str, column: int, indent: int, out: list[str]) -> None:
    """Callers make sure ``text`` has no quote, line break or special character.  ruamel
    folds single-quoted text at a single space between words once the line is past the
    width (not at it, as for plain text), and never moves a long word."""
    out.append("'")
    column += 1
    if column + len(text) <= _WIDTH:
        out.append(text)
    else:
        line = "\n" + " " * indent
        parts = _SPACE_RUNS.split(text)
        last = len(parts) - 2  # the index of the last run of spaces
        for index, part in enumerate(parts):
            if (
                index % 2
                and len(part) == 1
                and column > _WIDTH
                and not (index == 1 and not parts[0])  # spaces that open the text stay
                and not (index == last and not parts[-1])  # and so do spaces that end it
            ):
                out.append(line)
                column = indent
                continue
            out.append(part)
            column += len(part)
    out.append("'")


def _write_double_quoted(text: str, out: list[str]) -> None:
    """On one line (see _emitter), with ruamel's escapes."""
    out.append('"')
    out.append(_ESCAPED.sub(_escape, text))
    out.append('"')


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _ESCAPES:
        return "\\" + _ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _write_literal(text: str, indent: int, out: list[str]) -> None:
    """``|-``: _styled only makes literal blocks of text with no final line break.
    Empty lines get no indentation."""
    prefix = "\n" + " " * indent
    out.append("|-")
    for line in text.split("\n"):
        out.append(prefix + line if line else "\n")


def plain_reads_as_non_string(text: str) -> bool:
    """Whether ``text``, written as a plain scalar, reads back as something other than a
    string (a number, bool, null, date...) under the YAML 1.2 rules ruamel reads with: the
    fast reader's own resolution, which its tests hold to ruamel's."""
    return _plain_kind(text) != _STR



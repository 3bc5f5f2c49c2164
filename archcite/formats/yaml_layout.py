"""Record files in the layout archcite writes, read line by line, without a YAML library.

Reading one record afresh is most of a ``cite`` that the record cache cannot answer, and
importing PyYAML for libyaml's parser (its modules compile dozens of patterns) was about a
tenth of that.  Files archcite wrote, and files edited by hand that keep to the same layout,
are read here: block mappings of plain keys, and sequences below their key; plain,
single-quoted and double-quoted text, on one line or folded over several; ``|-`` literal
blocks; blank lines and comment lines between entries.  Anything else (a
comment after a value, a flow collection, an anchor or tag, another block scalar header,
odd indentation, a duplicate key...) makes ``read`` return None, and libyaml or ruamel reads
the file as before.  Plain values are resolved as the other readers resolve them
(``yaml_record._plain_kind``, YAML 1.2).  tests/test_yaml_layout.py holds what this reader
returns to what ruamel's reader returns, for written files, hand-edited ones and broken ones.
"""

from __future__ import annotations

import re
from typing import Any

from .yaml_record import _ESCAPES, _PLAIN_INSIDE_BREAK, _PLAIN_START_BREAK, _STR, _GiveUp, _plain_kind, scalar_data

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (?=[^ ])(.*))?\Z")
# Text the writer never leaves plain (yaml_record's rule); a hand edit that does goes to the
# YAML libraries.  On a plain scalar's continuation lines, only the rule inside applies: the
# text may start with anything but a comment's "#".
_NOT_PLAIN_START = re.compile(_PLAIN_START_BREAK)
_NOT_PLAIN_INSIDE = re.compile(_PLAIN_INSIDE_BREAK)
# The escapes the writer writes, and \x, \u, \U; YAML has a few more, which give up.
_UNESCAPED = {letter: char for char, letter in _ESCAPES.items()}
_HEX_ESCAPE = {"x": 2, "u": 4, "U": 8}
_HEX = re.compile(r"[0-9A-Fa-f]+\Z")
# Characters YAML does not allow in a file, which libyaml and ruamel refuse; and tabs, the
# line breaks YAML has besides "\n" and a byte-order mark, which the writer never leaves
# unescaped and on which the two libraries do not agree.
_UNSURE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]")


def read(text: str) -> dict[str, Any] | None:
    """The record file's data, as ruamel's reader (and ``yaml_record.fast_data``) gives it;
    None when the text is not in the layout this reader knows."""
    try:
        return _Reader(text).document()
    except (_GiveUp, ValueError):  # ValueError: a date off the calendar, which ruamel reports
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_gap(line: str) -> bool:
    """A blank line or a comment line: nothing between entries."""
    stripped = line.strip(" ")
    return not stripped or stripped[0] == "#"


class _Reader:
    def __init__(self, text: str) -> None:
        if _UNSURE.search(text):
            raise _GiveUp("a character YAML does not allow, a tab or an unusual line break")
        self.lines = text.split("\n")
        self.at = 0

    def document(self) -> dict[str, Any]:
        self._skip_gaps()
        if self.at == len(self.lines) or _indent(self.lines[self.at]) != 0:
            raise _GiveUp("no mapping at the top")
        data = self._mapping(0)
        self._skip_gaps()
        if self.at != len(self.lines):
            raise _GiveUp("a line the layout does not explain")
        return data

    def _skip_gaps(self) -> None:
        lines = self.lines
        while self.at < len(lines) and _is_gap(lines[self.at]):
            self.at += 1

    def _next_indent(self) -> int:
        """The indentation of the next entry's line; -1 at the end of the file."""
        self._skip_gaps()
        return _indent(self.lines[self.at]) if self.at < len(self.lines) else -1

    def _mapping(self, indent: int) -> dict[str, Any]:
        data: dict[str, Any] = {}
        while self._next_indent() == indent:
            line = self.lines[self.at]
            match = _KEY.match(line, indent)
            if match is None:
                raise _GiveUp("not a key line")
            key, rest = match.groups()
            if key in data or _plain_kind(key) != _STR:
                raise _GiveUp("a repeated key, or one that reads as no text")
            self.at += 1
            data[key] = self._block(indent) if rest is None else self._scalar(rest, indent + 1)
        if self._next_indent() > indent:
            raise _GiveUp("a line indented into nothing")
        return data

    def _block(self, indent: int) -> Any:
        """The value of a key with nothing after its colon: a mapping or sequence below it."""
        below = self._next_indent()
        if below <= indent:
            raise _GiveUp("an empty value")  # null to YAML; the writer never writes it
        line = self.lines[self.at]
        if line.startswith("- ", below):
            return self._sequence(below)
        return self._mapping(below)

    def _sequence(self, dash: int) -> list[Any]:
        items: list[Any] = []
        column = dash + 2
        while self._next_indent() == dash:
            line = self.lines[self.at]
            if not line.startswith("- ", dash):
                raise _GiveUp("not a sequence entry")
            rest = line[column:]
            if not rest or rest.startswith((" ", "- ")) or rest == "-":
                raise _GiveUp("a sequence in a sequence, or spaces after the dash")
            if _KEY.match(rest):
                # A mapping whose first key shares the dash's line: read as if the dash
                # were a space.
                self.lines[self.at] = " " * column + rest
                items.append(self._mapping(column))
            else:
                self.at += 1
                items.append(self._scalar(rest, dash + 1))
        if self._next_indent() > dash:
            raise _GiveUp("a line indented into nothing")
        return items

    def _scalar(self, first: str, least: int) -> Any:
        """The scalar that starts with ``first`` (the rest of its key's or dash's line, the
        line itself already passed); its continuation lines are indented at least ``least``."""
        if first == "|-":
            return self._literal(least)
        if first[0] == "'":
            return self._single_quoted(first, least)
        if first[0] == '"':
            return self._double_quoted(first, least)
        if _NOT_PLAIN_START.match(first) or _NOT_PLAIN_INSIDE.search(first):
            raise _GiveUp("text the writer would not leave plain")
        words = [first.rstrip(" ")]
        for line in self._continuation(least):
            if _NOT_PLAIN_INSIDE.search(line):
                raise _GiveUp("a continuation line the writer would not write")
            words.append(line)
        text = " ".join(words)
        return scalar_data(_plain_kind(text), text)

    def _continuation(self, least: int) -> list[str]:
        """The stripped continuation lines of a folded scalar; a blank line among or after
        them (a line break in the text, to YAML) gives up."""
        lines = self.lines
        found = []
        while self.at < len(lines):
            line = lines[self.at]
            stripped = line.strip(" ")
            if not stripped:
                # Is the text going on after the blank line?  Then the blank line was a break.
                after = self.at + 1
                while after < len(lines) and not lines[after].strip(" "):
                    after += 1
                if after < len(lines) and _indent(lines[after]) >= least:
                    raise _GiveUp("a line break in folded text")
                break
            if _indent(line) < least:
                break
            if stripped[0] == "#":
                raise _GiveUp("a comment line inside folded text")
            found.append(stripped)
            self.at += 1
        return found

    def _single_quoted(self, first: str, least: int) -> str:
        pieces = []
        content = first[1:]
        while (end := _closing_quote(content)) is None:
            pieces.append(content.rstrip(" "))  # a line break in quoted text: folded to a space
            content = self._quoted_line(least)
        if content[end + 1 :].strip(" "):
            raise _GiveUp("something after the closing quote")
        pieces.append(content[:end])
        return " ".join(pieces).replace("''", "'")

    def _double_quoted(self, first: str, least: int) -> str:
        out = []
        line, at = first, 1
        while True:
            end = _next_of(line, '"\\', at)
            if end is None:
                # A line break in quoted text: folded to a space, without the spaces around it.
                out.append(line[at:].rstrip(" "))
                out.append(" ")
                line, at = self._quoted_line(least), 0
                continue
            out.append(line[at:end])
            if line[end] == '"':
                if line[end + 1 :].strip(" "):
                    raise _GiveUp("something after the closing quote")
                return "".join(out)
            code = line[end + 1 : end + 2]
            if not code:  # an escaped line break: nothing in its place
                line, at = self._quoted_line(least), 0
            elif code in _UNESCAPED:
                out.append(_UNESCAPED[code])
                at = end + 2
            elif code in _HEX_ESCAPE:
                digits = line[end + 2 : end + 2 + _HEX_ESCAPE[code]]
                if len(digits) != _HEX_ESCAPE[code] or not _HEX.match(digits):
                    raise _GiveUp("a broken escape")
                code_point = int(digits, 16)
                if 0xD800 <= code_point <= 0xDFFF:
                    raise _GiveUp("half of a UTF-16 pair")
                out.append(chr(code_point))  # ValueError past U+10FFFF: given up
                at = end + 2 + len(digits)
            else:
                raise _GiveUp("an escape the writer does not write")

    def _quoted_line(self, least: int) -> str:
        """The next line of quoted text, without its indentation."""
        if self.at == len(self.lines):
            raise _GiveUp("no closing quote")
        line = self.lines[self.at]
        if not line.strip(" ") or _indent(line) < least:
            raise _GiveUp("a blank line (a line break, to YAML) or an outdented line in quoted text")
        self.at += 1
        return line.lstrip(" ")

    def _literal(self, least: int) -> str:
        lines = self.lines
        start = self.at
        while self.at < len(lines) and not lines[self.at].strip(" "):
            self.at += 1
        if self.at == len(lines) or _indent(lines[self.at]) < least:
            raise _GiveUp("an empty literal block")
        indent = _indent(lines[self.at])
        self.at = start
        body = []
        while self.at < len(lines):
            line = lines[self.at]
            if not line:
                body.append("")
            elif _indent(line) >= indent:
                body.append(line[indent:])
            elif line.strip(" "):
                break  # the next entry
            else:
                raise _GiveUp("a line of spaces in a literal block")
            self.at += 1
        while body and not body[-1]:
            body.pop()  # "|-": the final line breaks are not part of the text
        if any(not line.strip(" ") and line for line in body):
            raise _GiveUp("a line of spaces in a literal block")
        return "\n".join(body)


def _closing_quote(content: str) -> int | None:
    """Where the single quote that closes the text is in ``content``; None if it is not there.
    Two quotes in a row are a quote in the text."""
    at = content.find("'")
    while at != -1:
        if content.startswith("''", at):
            at = content.find("'", at + 2)
        else:
            return at
    return None


def _next_of(text: str, chars: str, start: int) -> int | None:
    found = [i for i in (text.find(c, start) for c in chars) if i != -1]
    return min(found) if found else None

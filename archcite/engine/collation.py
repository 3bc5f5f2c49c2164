"""Sort keys that put bibliography entries (and sorted cites) in citeproc-js's order.

citeproc-js writes every cs:key as a string in which each space is replaced by a separator,
``|`` (a symbol, chosen because it sorts before letters), with one more ``|`` at the end,
and compares two such strings with node's or the browser's collator:
``toLocaleLowerCase(a).localeCompare(toLocaleLowerCase(b), locale, {sensitivity: "base",
ignorePunctuation: true, numeric: true})``.  Under ICU that means, at the base level:

* case and diacritics do not count ("Łódź" = "lodz", "É" = "e", "æ" = "ae", "ß" = "ss");
* punctuation, spaces (Unicode P* and Z*) and control characters are ignored, but the
  separator is not: keys compare word by word ("Pyongyang, ‘Grain" before "Pyongyang on",
  as Chicago's word-by-word alphabetizing has it too, punctuation ignored), and a family
  name before a longer one ("Smith|John" before "Smithers|Anne");
* symbols sort before digits (most of them before ``|``, currency signs after it), digits
  before letters; a run of digits compares as a number (9 before 10, "01" = "1"), and an
  ignored character between digits ends the run ("1-2" is 1 then 2);
* scripts in ICU's root order, which code point order follows for the scripts met here
  (Latin, Greek, Cyrillic, ..., Hangul, kana, Han: Hangul syllables decompose to jamo).

``sort_key`` turns a key into a Python string that sorts in that order: a space becomes
``SEPARATOR`` and one ends the key, symbols get a prefix below it or just above it, digit
runs a length prefix below letters, letters fold to lowercase without marks.  Equal keys
stay in input order (Python's sort is stable; citeproc-js breaks ties by registration
order).  An empty key is None: the caller puts it last, as citeproc-js does.  A key of
punctuation alone is not empty: it is the separator alone and sorts first, as there.

Not emulated (checked against node's ICU in tests/test_sort_order.py): ICU's order among
symbols, and where it puts a few letters of their own (þ, ŋ, ı sort after z here) and
numbers that are not decimal digits ("½", "²").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_IGNORED = "\x00"  # punctuation, other spaces, marks: kept until digit runs are found, then dropped
_SYMBOL = "\x01"  # before a symbol (+, =, °, ©, ^): ICU puts most of them before citeproc-js's "|"
SEPARATOR = "\x02"  # a space, and the end of a key: citeproc-js's "|"
_CURRENCY = "\x03"  # before a currency sign ($, £, €): after "|", before digits and letters
_NUMBER_BASE = 0x20  # a digit run is chr(0x20 + its length) + its digits: 0x21-0x5F, below "a"
_LONGEST_EXACT = 0x5F - _NUMBER_BASE  # runs longer than 63 digits compare digit by digit among themselves

# Letters that ICU's root collation treats as a base letter (or two) at the primary level
# but that have no Unicode decomposition to drop a mark from.
_LETTERS = {"æ": "ae", "ð": "d", "đ": "d", "ħ": "h", "ł": "l", "ø": "o", "œ": "oe", "ß": "ss"}
# Letters that Unicode decomposes but ICU sorts as letters of their own (Cyrillic short i).
_KEPT = frozenset("йЙ")
_DIGITS = re.compile(r"[0-9]+")


def _fold(char: str) -> str:
    """One character's part of a sort key."""
    category = unicodedata.category(char)
    if char == " ":
        return SEPARATOR
    if category[0] in "PZCM":
        return _IGNORED
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category[0] == "S":
        return (_CURRENCY if category == "Sc" else _SYMBOL) + unicodedata.normalize("NFKD", char)
    lower = char.lower()
    decomposed = lower if char in _KEPT else unicodedata.normalize("NFKD", lower)
    if decomposed == char or char in decomposed:
        return _LETTERS.get(char, char)
    # each piece folded: the base letter, then its marks (ignored) or compatibility parts
    return "".join(_fold(piece) for piece in decomposed)


# A ``str.translate`` table, every ASCII character in it from the start and other characters
# added as they are met (a plain dict: translating through a dict subclass that fills itself
# in is over twice as slow).
_FOLDING = {code: _fold(chr(code)) for code in range(128)}


def _learn(text: str) -> None:
    for char in set(text):
        if ord(char) not in _FOLDING:
            _FOLDING[ord(char)] = _fold(char)


def _number(match: re.Match[str]) -> str:
    digits = match.group().lstrip("0") or "0"
    return chr(_NUMBER_BASE + min(len(digits), _LONGEST_EXACT)) + digits


def sort_key(value: Any) -> str | None:
    """``value`` (a cs:key's text, or a number) as a string that sorts as citeproc-js
    compares keys; None for an empty key."""
    if value is None or value == "":
        return None
    text = str(value)
    if not text.isascii():
        _learn(text)
    folded = text.translate(_FOLDING)
    return _DIGITS.sub(_number, folded).replace(_IGNORED, "") + SEPARATOR

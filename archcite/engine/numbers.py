"""Page ranges and plural detection for numeric variables, as citeproc-js does them.

citeproc-py applies ``page-range-format`` only to plain digit ranges, does not implement
``chicago-16``, collapses ranges whose two ends carry different prefixes ("N110-5"), and
counts an escaped hyphen ("327\\-30") as a range.  The rules here:

* A range is ``first-last`` where both ends share a prefix ("n11564-n1568") and end in
  digits; a shortened last number ("110-5") is first expanded ("110-115"), and only an
  ascending range is shortened.  Ends with different prefixes keep the hyphen ("N110-5").
* ``expanded``: all digits; ``minimal``: only the digits that change; ``minimal-two``: at
  least two; ``chicago-16``: full below 100 and for multiples of 100, the changed part for
  101-109 (and 1101-1109, ...), at least two digits otherwise; ``chicago`` (= ``chicago-15``)
  as chicago-16, except that four-digit numbers with three digits changing stay full.
* Roman ranges ("xxv-xxviii") and unformatted ranges only get the range delimiter.
"""

from __future__ import annotations

import re

_RANGE = re.compile(r"^(\S+?)\s*(?<!\\)[-–]\s*(\S+)$")
_ENDS_IN_DIGITS = re.compile(r"^(.*?)(\d+)$")
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.IGNORECASE)
_LIST = re.compile(r"(\s*,\s*|\s*&\s*)")


def _minimal(first: str, last: str, keep: int) -> str:
    if len(first) != len(last):
        return last
    common = 0
    while common < len(first) and first[common] == last[common] and len(last) - common > keep:
        common += 1
    return last[common:]


def shorten(first: str, last: str, range_format: str | None) -> str:
    """The digits of the range's end that ``range_format`` prints."""
    if range_format == "minimal":
        return _minimal(first, last, 0)
    if range_format == "minimal-two":
        return _minimal(first, last, 2)
    if range_format in ("chicago", "chicago-15", "chicago-16"):
        number = int(first)
        if number < 100 or number % 100 == 0:
            return last
        if number % 100 < 10:
            return _minimal(first, last, 0)
        two = _minimal(first, last, 2)
        if range_format != "chicago-16" and len(first) == 4 and len(two) >= 3:
            return last  # CMOS 15: four digits with three changing are printed in full
        return two
    return last


def full_last(first: str, last: str) -> str:
    """The last number of a range as written in full: ("110", "5") -> "115"."""
    return first[: len(first) - len(last)] + last if len(last) < len(first) else last


def format_range(text: str, range_format: str | None, delimiter: str = "–") -> str:
    """One range ("101-108", "n11564-n1568") in ``range_format``."""
    match = _RANGE.match(text.strip())
    if not match:
        return text.replace("\\-", "-")
    left, right = match.groups()
    if _ROMAN.match(left) and _ROMAN.match(right):
        return left + delimiter + right
    left_parts, right_parts = _ENDS_IN_DIGITS.match(left), _ENDS_IN_DIGITS.match(right)
    if not (left_parts and right_parts) or left_parts.group(1) != right_parts.group(1):
        return f"{left}-{right}"
    prefix, first, last = left_parts.group(1), left_parts.group(2), right_parts.group(2)
    if range_format is None:
        return left + delimiter + right
    last = full_last(first, last)
    if int(first) >= int(last):
        return left + delimiter + right  # not a range to expand or shorten ("718-4", "0-0")
    shortened = shorten(first, last, range_format)
    return prefix + first + delimiter + (shortened if shortened != last else prefix + last)


def format_ranges(text: str, range_format: str | None, delimiter: str = "–", and_symbol: str = "&") -> str:
    """A list of ranges ("12-14, 17 & 19-20"), each formatted, separators normalized."""
    pieces = _LIST.split(str(text))
    out = []
    for index, piece in enumerate(pieces):
        if index % 2 and not (pieces[index - 1].strip() and pieces[index + 1].strip()):
            out.append(piece)  # a separator with nothing on one side is left as written
        elif index % 2:
            out.append(", " if "," in piece else f" {and_symbol} ")
        else:
            out.append(format_range(piece, range_format, delimiter))
    return "".join(out)


def first_page(text: str) -> str:
    """The first page of a page range ("22-45" -> "22")."""
    return re.split(r"\s*(?<!\\)[-–,&]\s*", str(text).strip(), maxsplit=1)[0]


def is_plural(text: str, and_term: str = "and") -> bool:
    """More than one number: a range or a list ("2-4", "2, 3", "2 & 3", "2 and 3" in the
    locale's word for and), but not an escaped hyphen ("327\\-30") nor a dotted number ("2.0")."""
    words = "|".join(re.escape(w) for w in {"and", and_term} if w)
    return re.search(rf"[\w)]\s*(?<!\\)(?:[-–,&]|\b(?:{words})\b)\s*[\w(]", str(text)) is not None


def is_numeric(text: str) -> bool:
    """CSL is-numeric: numbers, optionally with letter affixes ("2a", "L2"), possibly joined
    into a list or range ("2-4", "2, 4", "2 & 4")."""
    number = r"[a-z]*\d+[a-z]*"
    return re.fullmatch(rf"\s*{number}(?:\s*(?:[-–,&]|and)\s*{number})*\s*", str(text), re.IGNORECASE) is not None

"""Dates as archives print them ("June 07, 1973", "8 October 1971", "August, 1962")."""

from __future__ import annotations

import re

from pydantic import ValidationError

from .models import FuzzyDate


class DateError(ValueError):
    """Text that names a date the calendar does not have, or is not a date at all.

    A ValueError, so callers that only care that parsing failed can keep
    catching that; importers catch this class to turn it into a located error.
    """

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_CIRCA = r"(?:(?:c\.|ca\.|circa|approximately|about)\s*)"
# A day of the month, "07" and "7th" included.  [0-9], not \d: \d also takes
# other scripts' digits, which no archive prints in an English date.
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
# One end of a date, most specific first so that "17 June 1960" is not read as "June 1960".
_POINT = (
    rf"(?:(?P<md_m>{_MONTH})\s+(?P<md_d>{_DAY}),?\s+(?P<md_y>{_YEAR})"
    rf"|(?P<dm_d>{_DAY})\s+(?P<dm_m>{_MONTH}),?\s+(?P<dm_y>{_YEAR})"
    rf"|(?P<m_m>{_MONTH}),?\s+(?P<m_y>{_YEAR})"
    r"|(?P<decade>(?:1[0-9]{2}|20[0-9])0)s"
    rf"|(?P<y>{_YEAR}))"
)
DATE = re.compile(rf"(?<!\w)(?P<circa>{_CIRCA})?{_POINT}(?!\w)", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|until)\s*", re.IGNORECASE)


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(text.rstrip("stndrh"))


def _point(match: re.Match[str]) -> dict[str, object]:
    g = match.groupdict()
    approximate = bool(g["circa"])
    if g["md_y"]:
        return {"year": int(g["md_y"]), "month": _month(g["md_m"]), "day": _day(g["md_d"]), "approximate": approximate}
    if g["dm_y"]:
        return {"year": int(g["dm_y"]), "month": _month(g["dm_m"]), "day": _day(g["dm_d"]), "approximate": approximate}
    if g["m_y"]:
        return {"year": int(g["m_y"]), "month": _month(g["m_m"]), "approximate": approximate}
    if g["decade"]:
        start = int(g["decade"][:4])
        return {"year": start, "approximate": approximate, "end": {"year": start + 9}}
    return {"year": int(g["y"]), "approximate": approximate}


# Archives print the same dates again and again (a document's date line, its citation, its
# headnotes), and a FuzzyDate is frozen: each distinct date text is read and checked once, then
# the checked date is shared.  A date that fails its check is not kept, so it fails every time.
# The text alone decides the date: the pattern's look-arounds only decide where a date stands.
# The kept dates are the documents' own, so sharing them is also fewer objects for the cycle
# collector to walk: importing 10,000 generated records made 2.03 dates a document with 4,096
# kept (emptied twice on the way), 1.54 with 16,384.  A kept date is about 0.5 kB with its key: at most about 9 MB.
_CHECKED: dict[str, FuzzyDate] = {}
_CHECKED_MAX = 16384


def find_date(text: str) -> tuple[FuzzyDate, int, int] | None:
    """The first date in ``text`` as (date, start, end), a following second end
    making it a range; None when there is none.

    Raises DateError for a date that is shaped right but is not in the calendar
    ("31 February 1961") or a range that ends before it starts.
    """
    match = DATE.search(text)
    if match is None:
        return None
    start, end = match.span()
    second = None
    if not match.group("decade"):  # a decade is a range already
        join = _RANGE_JOIN.match(text, end)
        second = DATE.match(text, join.end()) if join else None
        if second and second.group("decade"):
            second = None  # a decade cannot end a range
        if second:
            end = second.end()
    date = _CHECKED.get(text[start:end])
    if date is None:
        value = _point(match)
        if second:
            last = _point(second)
            last.pop("approximate")
            value["end"] = last
        try:
            date = FuzzyDate.model_validate(value)
        except ValidationError as exc:
            problems = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
            raise DateError(f"{text[start:end]!r} is not a valid date: {problems}") from None
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        _CHECKED[text[start:end]] = date
    return date, start, end


def parse_date(text: str) -> FuzzyDate:
    """Parse text that is a date and nothing else: 'June 17, 1960', '1955', 'c. 1955'.

    Raises DateError when the text is not a date, or not one of the calendar.
    """
    text = text.strip().rstrip(".,;")
    found = find_date(text)
    if found is None or found[1] != 0 or found[2] != len(text):
        raise DateError(f"{text!r} is not a date (expected e.g. 'June 17, 1960', 'August, 1962' or '1955')")
    return found[0]

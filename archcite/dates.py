"""Dates as archives print them ("June 07, 1973", "8 October 1971", "August, 1962")."""

from __future__ import annotations

import re

from .models import FuzzyDate

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
# One end of a date, most specific first so that "17 June 1960" is not read as "June 1960".
_POINT = (
    rf"(?:(?P<md_m>{_MONTH})\s+(?P<md_d>\d{{1,2}}),?\s+(?P<md_y>{_YEAR})"
    rf"|(?P<dm_d>\d{{1,2}})\s+(?P<dm_m>{_MONTH}),?\s+(?P<dm_y>{_YEAR})"
    rf"|(?P<m_m>{_MONTH}),?\s+(?P<m_y>{_YEAR})"
    r"|(?P<decade>(?:1[0-9]{2}|20[0-9])0)s"
    rf"|(?P<y>{_YEAR}))"
)
DATE = re.compile(rf"(?<!\w)(?P<circa>{_CIRCA})?{_POINT}(?!\w)", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|until)\s*", re.IGNORECASE)


def _point(match: re.Match[str]) -> dict[str, object]:
    g = match.groupdict()
    approximate = bool(g["circa"])
    if g["md_y"]:
        return {"year": int(g["md_y"]), "month": MONTHS[g["md_m"].lower().rstrip(".")], "day": int(g["md_d"]), "approximate": approximate}
    if g["dm_y"]:
        return {"year": int(g["dm_y"]), "month": MONTHS[g["dm_m"].lower().rstrip(".")], "day": int(g["dm_d"]), "approximate": approximate}
    if g["m_y"]:
        return {"year": int(g["m_y"]), "month": MONTHS[g["m_m"].lower().rstrip(".")], "approximate": approximate}
    if g["decade"]:
        start = int(g["decade"][:4])
        return {"year": start, "approximate": approximate, "end": {"year": start + 9}}
    return {"year": int(g["y"]), "approximate": approximate}


def find_date(text: str) -> tuple[FuzzyDate, int, int] | None:
    """The first date in ``text`` as (date, start, end), a following second end
    making it a range; None when there is none.

    Raises ValueError for a date that is shaped right but is not in the calendar
    ("31 February 1961").
    """
    match = DATE.search(text)
    if match is None:
        return None
    value = _point(match)
    end = match.end()
    join = _RANGE_JOIN.match(text, end)
    second = DATE.match(text, join.end()) if join and "end" not in value else None
    if second:
        last = _point(second)
        if "end" not in last:
            last.pop("approximate")
            value["end"] = last
            end = second.end()
    return FuzzyDate.model_validate(value), match.start(), end


def parse_date(text: str) -> FuzzyDate:
    """Parse text that is a date and nothing else: 'June 17, 1960', '1955', 'c. 1955'."""
    text = text.strip().rstrip(".,;")
    found = find_date(text)
    if found is None or found[1] != 0 or found[2] != len(text):
        raise ValueError(f"{text!r} is not a date (expected e.g. 'June 17, 1960', 'August, 1962' or '1955')")
    return found[0]

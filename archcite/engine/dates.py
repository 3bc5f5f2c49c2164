"""cs:date, rendered from the style's date-parts or the locale's (form="text"/"numeric").

citeproc-py copies the style's date-part attributes into the shared locale date on every
render (so one date's overrides leak into the next date of the style), ignores formatting on
cs:date, renders empty strings in date-parts as "00", keeps every part's suffix inside a
range ("June 5, –7, 2000") and knows seasons only from a separate field.  Here:

* a localized date takes the locale's parts, the style's date-part attributes override
  them for this date only, and ``date-parts`` chooses which parts show;
* a range prints the parts that differ on both sides, joined by the ``range-delimiter`` of
  the largest differing part, and the shared parts once ("June 5–7, 2000",
  "May 3–June 5, 2000"); the begin side drops its last suffix;
* months 13-16 are seasons; years below 1000 take the "ad" term, negative years "bc".
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.source import DateRange, LiteralDate

from . import richtext
from .base import CachedLookups, Marked, decorate, look, remembered, usage
from .disambiguation import disambiguation
from .richtext import SEAM


class _Part(Marked, dict):  # type: ignore[type-arg]
    """A date-part's attributes (the locale's, overridden by the style's), with the same
    formatting, affix and text-case behaviour as an element."""


_ORDER = ("year", "month", "day")


class Date(CachedLookups, Marked, model.Date):  # type: ignore[misc]
    def render(self, item: Any, **kwargs: Any) -> Any:
        variable = self.get("variable")
        used = usage(item)
        if variable in used.suppressed:
            return used.count(variable, None)
        value = item.reference.get(variable.replace("-", "_"))
        if used.disambiguating and variable == "accessed":
            value = None  # (citeproc-js compares cites without their access dates)
        suffix = self._implicit_suffix(item, used) if variable == "issued" else ""
        text = self.text_of(value, suffix) if value else None
        if used.date_keys is not None and value:  # in a sort key's date macro (elements.dates_only)
            used.date_keys.append(self.sort_key(value))
        if suffix and text and suffix in text:
            used.year_suffix_done = True
        used.count(variable, text)
        if not text:
            return None
        return self.wrap(self.format(self.case(text)))

    def sort_key(self, value: Any) -> str:
        """The date as citeproc-js writes it in a sort key built from a macro: begin and end
        each as a year ("1" and four digits, or "0" and 9999 less the year before the era),
        month and day (two digits; "00" where absent or not among this cs:date's parts), so
        that keys compare as dates.  Empty without a year (a literal date has none)."""
        if isinstance(value, LiteralDate):
            return ""
        begin, end = (value.begin, value.get("end")) if isinstance(value, DateRange) else (value, None)
        if not _value(begin, "year"):
            return ""
        shown = {part.get("name") for part in self.spec()[0]}
        return _sortable(begin, shown) + _sortable(end, shown)

    def _implicit_suffix(self, item: Any, used: Any) -> str:
        """The year-suffix to append to this date's year, when the style does not place the
        year-suffix variable itself and none has been placed in this cite or entry yet."""
        if used.year_suffix_done or used.disambiguating:
            return ""
        found = disambiguation(item.bibliography)
        suffix = found.suffixes.get(item.key, "")
        if not suffix or found.explicit_suffix:
            return ""
        return richtext.wrap(richtext.YEAR_SUFFIX, suffix)

    def spec(self) -> tuple[list[_Part], str]:
        """The date-parts to print, in order, and the delimiter between them (worked out once
        per element: they depend on the style and locale only)."""
        found: tuple[list[_Part], str] | None = self.__dict__.get("_date_parts")
        if found is None:
            found = self._spec()
            self.__dict__["_date_parts"] = found
        return found

    def _spec(self) -> tuple[list[_Part], str]:
        own = {p.get("name"): dict(p.attrib) for p in self.findall("cs:date-part", self.nsmap)}
        form = self.get("form")
        if form is None:
            return [_Part(attrs) for attrs in own.values()], self.get("delimiter", "")
        localized = self.get_date(form)
        shown = self.get("date-parts", "year-month-day").split("-")
        parts = []
        for part in localized.findall("cs:date-part", localized.nsmap):
            name = part.get("name")
            if name in shown:
                attributes = dict(part.attrib)
                attributes.update(own.get(name, {}))
                parts.append(_Part(attributes))
        return parts, localized.get("delimiter", "")

    def text_of(self, value: Any, suffix: str = "") -> str | None:
        """The date (or range) as text; ``suffix`` goes after the (first) year.  Remembered
        per element: the text depends on the date, the style and the locale only, and a
        collection's dates repeat."""
        if isinstance(value, LiteralDate):
            return str(value.text)
        seen: dict[Any, str | None] = self.__dict__.setdefault("_dates_seen", {})
        return remembered(seen, lambda: (suffix, _date_key(value)), lambda: self._text_of(value, suffix))

    def _text_of(self, value: Any, suffix: str) -> str | None:
        parts, delimiter = self.spec()
        if isinstance(value, DateRange):
            return self._range(value.begin, value.get("end"), parts, delimiter, suffix)
        return self._join([self._part(p, value, suffix=suffix) for p in parts], delimiter)

    def _join(self, pieces: list[str | None], delimiter: str) -> str | None:
        kept = [p for p in pieces if p]
        return (SEAM + delimiter + SEAM).join(kept) if kept else None

    def _range(self, begin: Any, end: Any, parts: list[_Part], delimiter: str, suffix: str = "") -> str | None:
        single = self._join([self._part(p, begin, suffix=suffix) for p in parts], delimiter)
        if end is None:
            return single
        if end.is_nil():  # [[1987], [0]]: a range still open
            year = next((p for p in parts if p.get("name") == "year"), _Part())
            return single + year.get("range-delimiter", "–") if single else None
        differing: set[str] = set()
        for name in _ORDER:
            if differing or _value(begin, name) != _value(end, name) or (
                name == "month" and _value(begin, "season") != _value(end, "season")
            ):
                differing.add(name)
        names = [p.get("name") for p in parts]
        positions = [i for i, name in enumerate(names) if name in differing]
        if not positions:
            return self._join([self._part(p, begin) for p in parts], delimiter)
        first, last = positions[0], positions[-1]
        largest = next(name for name in _ORDER if name in differing and name in names)
        range_delimiter = parts[names.index(largest)].get("range-delimiter", "–")
        before = [self._part(p, begin, suffix=suffix) for p in parts[:first]]
        start = [self._part(p, begin, suffix=suffix) for p in parts[first : last + 1]]
        shown = [i for i, text in enumerate(start) if text]
        if shown:  # the begin side ends without its last part's suffix ("June 5–7, 2000")
            start[shown[-1]] = self._part(parts[first + shown[-1]], begin, True, suffix)
        finish = [self._part(p, end) for p in parts[first : last + 1]]
        after = [self._part(p, begin) for p in parts[last + 1 :]]
        span = (self._join(start, delimiter) or "") + range_delimiter + (self._join(finish, delimiter) or "")
        return self._join([*before, span, *after], delimiter)

    def _part(self, part: _Part, date: Any, drop_suffix: bool = False, suffix: str = "") -> str | None:
        text = self._part_text(part, date)
        if not text:
            return None
        if part.get("name") == "year":
            text += suffix
        if drop_suffix:
            part = _Part({k: v for k, v in part.items() if k != "suffix"})
        return decorate(look(part), text, quotes=False)  # type: ignore[no-any-return]

    def _part_text(self, part: _Part, date: Any) -> str | None:
        name = part.get("name")
        if name == "year":
            year = _value(date, "year")
            if not year:
                return None
            if part.get("form") == "short":
                return str(year)[-2:]
            era = self.term_text("bc") if year < 0 else (self.term_text("ad") if year < 1000 else "")
            if self.get("delimiter"):
                era = era.strip()  # citeproc-js: "44BC-3-15" between delimiters, "44 BC" otherwise
            return str(abs(year)) + era
        if name == "month":
            month, season = _value(date, "month"), _value(date, "season")
            form = part.get("form", "long")
            if month and 1 <= month <= 12:
                if form == "numeric":
                    return str(month)
                if form == "numeric-leading-zeros":
                    return f"{month:02}"
                return self.term_text(f"month-{month:02}", "short" if form == "short" else None)
            if season and form in ("long", "short"):
                return self.term_text(f"season-{season:02}") or None
            return None
        if name == "day":
            day = _value(date, "day")
            if not day or not _value(date, "month"):
                return None
            form = part.get("form", "numeric")
            if form == "ordinal" and day > 1 and (self.get_locale_option("limit-day-ordinals-to-day-1") or "").lower() == "true":
                form = "numeric"
            if form == "ordinal":
                return str(model.to_ordinal(day, self))
            return f"{day:02}" if form == "numeric-leading-zeros" else str(day)
        return None


def _sortable(date: Any, shown: set[Any]) -> str:
    year, month, day = ((_value(date, name) or 0) if name in shown else 0 for name in _ORDER)
    era_year = f"1{year:04}" if year >= 0 else f"0{9999 + year}"
    return f"{era_year}{month:02}{day:02}"


def _date_key(value: Any) -> Any:
    """A hashable copy of a citeproc-py date (a dict of parts, or of begin and end dates)."""
    if isinstance(value, dict):
        return (type(value).__name__, tuple(sorted((k, _date_key(v) if isinstance(v, dict) else v) for k, v in value.items())))
    return value


def _season(month: Any) -> int | None:
    """CSL-JSON writes seasons as months 13-16 (or 17-20, 21-24)."""
    if isinstance(month, int) and 13 <= month <= 24:
        return (month - 13) % 4 + 1
    return None


def _value(date: Any, name: str) -> int | None:
    """A date part as a number (months 13-24 are the seasons)."""
    if date is None:
        return None
    value = date.get(name)
    if name in ("month", "season"):
        month = date.get("month")
        if _season(month):
            return None if name == "month" else _season(month)
        if isinstance(month, int) and not 1 <= month <= 12:
            return None
        if name == "season":
            season = date.get("season")
            try:
                return int(season) if season else None
            except (TypeError, ValueError):
                return None
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None

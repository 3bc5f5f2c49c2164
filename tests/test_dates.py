"""Dates as archives print them (archcite.dates) and as records store them (FuzzyDate, an EDTF subset)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from archcite.dates import DateError, find_date, parse_date
from archcite.models import FuzzyDate

# --- natural-language dates ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("June 17, 1960", "1960-06-17"),
        ("17 June 1960", "1960-06-17"),
        ("June 07, 1973", "1973-06-07"),  # leading zero
        ("June 7th, 1973", "1973-06-07"),
        ("8 October 1971.", "1971-10-08"),  # trailing full stop
        ("Sept. 3, 1961", "1961-09-03"),
        ("dec 9 1969", "1969-12-09"),
        ("August, 1962", "1962-08"),  # partial: month
        ("March 1961", "1961-03"),
        ("1955", "1955"),  # partial: year
        ("c. 1955", "1955~"),
        ("circa 1965", "1965~"),
        ("1960s", "1960/1969"),
        ("1960 - 1961", "1960/1961"),
        ("June 1960 to March 1961", "1960-06/1961-03"),
        ("February 29, 1960", "1960-02-29"),  # a leap day
    ],
)
def test_parse_date(text: str, edtf: str) -> None:
    assert parse_date(text).edtf() == edtf


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31 February 1961", "1961-02-31 is not a day of the calendar"),
        ("February 29, 1961", "1961-02-29 is not a day of the calendar"),
        ("May 40, 1960", "is not a day of the calendar"),
        ("1961 - 1960", "a range must end after it starts"),
        ("Excerpts from V.P. Tkachenko", "is not a date"),
        ("June 17, 1960, Moscow", "is not a date"),  # more than a date
        ("", "is not a date"),
    ],
)
def test_parse_date_rejects(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(text)


def test_date_error_is_a_value_error() -> None:
    """Callers that only need 'did it parse' may keep catching ValueError."""
    with pytest.raises(ValueError):
        parse_date("31 February 1961")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Materials from 17 June 1960 conversations", ("1960-06-17", "17 June 1960")),
        ("8 October 1971. Pak Seong-cheol", ("1971-10-08", "8 October 1971")),
        ("a conversation on 9 December 1969", ("1969-12-09", "9 December 1969")),
        ("from 1960 to 1961 inclusive", ("1960/1961", "1960 to 1961")),
        ("Text of a Soviet note to the DPRK", None),
        ("in 19600 copies", None),  # no year inside a longer number
        ("page ١٩٦٠", None),  # other scripts' digits are no year
    ],
)
def test_find_date(text: str, found: tuple[str, str] | None) -> None:
    result = find_date(text)
    if found is None:
        assert result is None
        return
    assert result is not None
    date, start, end = result
    assert (date.edtf(), text[start:end]) == found


def test_find_date_rejects_a_day_not_in_the_calendar() -> None:
    with pytest.raises(DateError, match="'31 February 1971' is not a valid date"):
        find_date("[31 February 1971. Text of a Soviet note]")


# --- FuzzyDate: the EDTF subset ------------------------------------------------


@pytest.mark.parametrize(
    ("edtf", "fields"),
    [
        ("1960-06-17", {"year": 1960, "month": 6, "day": 17, "approximate": False, "end": None}),
        ("1961-03", {"year": 1961, "month": 3, "day": None, "approximate": False, "end": None}),
        ("1955", {"year": 1955, "month": None, "day": None, "approximate": False, "end": None}),
        ("1955~", {"year": 1955, "month": None, "day": None, "approximate": True, "end": None}),
        (
            "1960-06/1961-03",
            {
                "year": 1960, "month": 6, "day": None, "approximate": False,
                "end": {"year": 1961, "month": 3, "day": None, "approximate": False, "end": None},
            },
        ),
        (
            "1955~/1960",
            {
                "year": 1955, "month": None, "day": None, "approximate": True,
                "end": {"year": 1960, "month": None, "day": None, "approximate": False, "end": None},
            },
        ),
    ],
)  # fmt: skip
def test_fuzzy_date_from_edtf(edtf: str, fields: dict[str, object]) -> None:
    date = FuzzyDate.model_validate(edtf)
    end = date.end
    assert {
        "year": date.year, "month": date.month, "day": date.day, "approximate": date.approximate,
        "end": end and {"year": end.year, "month": end.month, "day": end.day, "approximate": end.approximate, "end": end.end},
    } == fields  # fmt: skip
    assert date.edtf() == str(date) == edtf
    assert date.model_dump_json() == f'"{edtf}"'  # serialized as the EDTF text


def test_fuzzy_date_parts() -> None:
    assert FuzzyDate.model_validate("1960-06-17").parts() == (1960, 6, 17)
    assert FuzzyDate.model_validate("1961-03").parts() == (1961, 3)
    assert FuzzyDate.model_validate("1955~").parts() == (1955,)


@pytest.mark.parametrize(
    ("value", "edtf"),
    [(dt.date(1960, 6, 17), "1960-06-17"), (dt.datetime(1971, 10, 8, 12, 0), "1971-10-08"), (1955, "1955"), (" 1955 ", "1955")],
)
def test_fuzzy_date_from_python_values(value: object, edtf: str) -> None:
    assert FuzzyDate.model_validate(value).edtf() == edtf


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1961-02-31", "is not a day of the calendar"),
        ("1960-13", "month 13 is not between 1 and 12"),
        ("1961/1960", "a range must end after it starts"),
        ("1960/1961/1962", "is not a date"),
        ("17 June 1960", "is not a date"),  # records store EDTF, not prose
        ("", "is not a date"),
        ({"year": 1960, "day": 17}, "a day needs a month"),
        ({"year": 1960, "end": {"year": 1961, "end": {"year": 1962}}}, "cannot nest another range"),
    ],
)
def test_fuzzy_date_rejects(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FuzzyDate.model_validate(value)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2099, 12, 31)), st.integers(1, 3), st.booleans())
def test_fuzzy_date_edtf_round_trip(day: dt.date, precision: int, approximate: bool) -> None:
    parts = (day.year, day.month, day.day)[:precision]
    text = "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts)) + ("~" if approximate else "")
    date = FuzzyDate.model_validate(text)
    assert date.parts() == parts
    assert FuzzyDate.model_validate(date.edtf()) == date
    assert date.edtf() == text


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_prose_dates_agree_with_edtf(day: dt.date) -> None:
    """'June 17, 1960' and '17 June 1960' both parse to the EDTF day."""
    month = day.strftime("%B")
    expected = day.isoformat()
    assert parse_date(f"{month} {day.day}, {day.year}").edtf() == expected
    assert parse_date(f"{day.day} {month} {day.year}").edtf() == expected

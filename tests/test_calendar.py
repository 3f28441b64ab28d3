"""The calendar grammar's whole-string readers: manifest dates and page date lines."""

from __future__ import annotations

import datetime as dt

import pytest

from strikewatch.extract.dates import read_calendar_date, read_dateline

BST = dt.timezone(dt.timedelta(hours=1))


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2016-04-26", dt.date(2016, 4, 26)),
        ("2016-04-26T08:00:00+01:00", dt.date(2016, 4, 26)),
        ("2016-04-26 08:00", dt.date(2016, 4, 26)),
        ("26/04/2016", dt.date(2016, 4, 26)),
        ("26.04.2016", dt.date(2016, 4, 26)),
        ("5/5/2016", dt.date(2016, 5, 5)),
        ("26 April 2016", dt.date(2016, 4, 26)),
        ("26th Sept. 2016", dt.date(2016, 9, 26)),
        (" 26 april 2016 ", dt.date(2016, 4, 26)),
    ],
)
def test_calendar_dates(written: str, day: dt.date) -> None:
    assert read_calendar_date(written) == (day, None)


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("04/05/2016", "ambiguous"),  # 4 May or 5 April
        ("April 26, 2016", "unknown form"),
        ("26 April", "unknown form"),
        ("yesterday", "unknown form"),
        ("", "unknown form"),
        ("2016-02-30", "not a date"),
        ("31/02/2016", "not a date"),
    ],
)
def test_what_is_wrong_with_a_calendar_date(written: str, problem: str) -> None:
    assert read_calendar_date(written) == (None, problem)


@pytest.mark.parametrize(
    ("line", "day", "clock", "zone"),
    [
        ("Tuesday 12 January 2016 08.00 GMT", dt.date(2016, 1, 12), (8, 0), dt.UTC),
        ("Published: 26 April 2016, 4:55pm BST", dt.date(2016, 4, 26), (16, 55), BST),
        ("April 26, 2016 at 10:30 a.m.", dt.date(2016, 4, 26), (10, 30), None),
        ("Updated 2023-07-13", dt.date(2023, 7, 13), None, None),
        ("12/01/2016 13:45", dt.date(2016, 1, 12), (13, 45), None),
        ("Wednesday 13 July 2023 09.15 British Summer Time", dt.date(2023, 7, 13), (9, 15), BST),
        ("26 April 2016 25:10", dt.date(2016, 4, 26), None, None),  # no such time: day only
    ],
)
def test_datelines(line: str, day: dt.date, clock: tuple | None, zone: dt.tzinfo | None) -> None:
    dateline = read_dateline(line)
    assert dateline is not None
    assert (dateline.day, dateline.clock, dateline.zone) == (day, clock, zone)


@pytest.mark.parametrize(
    "line",
    [
        "The strike began on 12 January 2016",  # a date inside a sentence is not a date line
        "31 February 2016",
        "12 January",
    ],
)
def test_lines_that_are_not_datelines(line: str) -> None:
    assert read_dateline(line) is None

"""UK-style dates, times and durations, resolved against a published date."""

from __future__ import annotations

import datetime as dt

import pytest

from strikewatch.extract.dates import find_dates, find_durations, find_times, resolve_period

TUESDAY = dt.date(2016, 1, 12)


def _dates(text: str, published: dt.date | None = TUESDAY) -> list[tuple]:
    return [(d.start, d.end, d.precision) for d in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", dt.date(2016, 1, 12)),
        ("yesterday", dt.date(2016, 1, 11)),
        ("tomorrow", dt.date(2016, 1, 13)),
        ("this morning", dt.date(2016, 1, 12)),
        ("on Monday", dt.date(2016, 1, 11)),
        ("on Friday", dt.date(2016, 1, 15)),
        ("last Friday", dt.date(2016, 1, 8)),
        ("Tuesday 26 January", dt.date(2016, 1, 26)),
        ("1 December", dt.date(2015, 12, 1)),
        ("26/04/2016", dt.date(2016, 4, 26)),
    ],
)
def test_single_days(text: str, expected: dt.date) -> None:
    assert _dates(text) == [(expected, None, "day")]


def test_ranges_lists_and_months() -> None:
    assert _dates("from 26 to 28 January") == [(dt.date(2016, 1, 26), dt.date(2016, 1, 28), "day")]
    assert _dates("on December 15 & 20 2022") == [
        (dt.date(2022, 12, 15), None, "day"),
        (dt.date(2022, 12, 20), None, "day"),
    ]
    assert _dates("a walkout in March") == [(dt.date(2016, 3, 1), None, "month")]
    assert _dates("44% at the start of the year") == [(dt.date(2016, 1, 1), None, "month")]


@pytest.mark.parametrize(
    "text",
    [
        "Theresa May said the offer was final.",
        "There are cars parked on the mar of the road.",
        "He spoke on the Today programme.",
    ],
)
def test_words_that_are_not_dates(text: str) -> None:
    assert _dates(text) == []


def test_unresolvable_without_published_date_is_left_out() -> None:
    assert _dates("on Monday and yesterday", published=None) == []
    assert _dates("on 3 March 2023", published=None) == [(dt.date(2023, 3, 3), None, "day")]


def test_times_and_durations() -> None:
    times = find_times("between 08:00 and 17:00 BST, then 8am to 5pm, and noon")
    assert [(t.start, t.end) for t in times] == [
        (dt.time(8), dt.time(17)),
        (dt.time(8), dt.time(17)),
        (dt.time(12), None),
    ]
    assert [d.hours for d in find_durations("a 48-hour strike and 24 hours later")] == [48, 24]


@pytest.mark.parametrize(
    ("text", "published", "starts_at", "precision", "ends_at"),
    [
        (
            "Resident doctors in England will strike from 7am on 27 June to 7am on 2 July",
            dt.date(2023, 6, 20),
            dt.datetime(2023, 6, 27, 7),
            "minute",
            dt.datetime(2023, 7, 2, 7),
        ),
        (
            "a 48-hour stoppage from 8am on 26 January",
            TUESDAY,
            dt.datetime(2016, 1, 26, 8),
            "minute",
            dt.datetime(2016, 1, 28, 8),
        ),
        (
            "from 8am to 5pm on Tuesday and again on Wednesday",
            dt.date(2016, 4, 26),
            dt.datetime(2016, 4, 26, 8),
            "minute",
            dt.datetime(2016, 4, 27, 17),
        ),
        (
            "the walkout runs between 08:00 and 17:00 BST",
            dt.date(2016, 4, 26),
            dt.datetime(2016, 4, 26, 8),
            "minute",
            dt.datetime(2016, 4, 26, 17),
        ),
        ("consultants will strike in March", TUESDAY, dt.datetime(2016, 3, 1), "month", None),
    ],
)
def test_resolve_period(
    text: str,
    published: dt.date,
    starts_at: dt.datetime,
    precision: str,
    ends_at: dt.datetime | None,
) -> None:
    period = resolve_period(text, published)
    assert period is not None
    assert (period.starts_at, period.start_precision, period.ends_at) == (
        starts_at,
        precision,
        ends_at,
    )


def test_no_period_without_a_day_or_time() -> None:
    assert resolve_period("The strike has officially begun.", TUESDAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "\u0131n March, on Mondays, mid-March and the 26th of January, doctors walked out.",
        "From 8am on Tuesday 26 April until 5pm; last night and early June; 26/04/2016.",
        "LAST MONTH and earlier this year, by 2017 or since December 15 & 20 2022.",
    ],
)
def test_date_and_time_scans_at_candidates_match_full_scans(text: str) -> None:
    from strikewatch.extract import dates
    from strikewatch.extract.scanning import finditer_at

    quick = finditer_at(dates._DATE, text, dates._date_starts(text))
    assert [m.span() for m in quick] == [m.span() for m in dates._DATE.finditer(text)]
    starts = [m.start() for m in dates._TIME_START.finditer(text)]
    quick_times = finditer_at(dates._TIME, text, starts)
    assert [m.span() for m in quick_times] == [m.span() for m in dates._TIME.finditer(text)]


def test_an_end_weekday_falls_after_the_start():
    text = "walking out from 6:59am today until 6:59am on Saturday in a dispute over pay."
    period = resolve_period(text, dt.date(2023, 4, 11))
    assert period.starts_at == dt.datetime(2023, 4, 11, 6, 59)
    assert period.ends_at == dt.datetime(2023, 4, 15, 6, 59)

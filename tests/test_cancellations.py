"""Cancellation figures with item, place, period and hedge."""

from __future__ import annotations

import datetime as dt

from strikewatch.extract.cancellations import extract_cancellations

PUBLISHED = dt.date(2023, 6, 28)


def _rows(text: str, **kwargs: object) -> list[tuple]:
    facts = extract_cancellations(text, PUBLISHED, **kwargs)  # type: ignore[arg-type]
    for fact in facts:
        assert fact["char_end"] > fact["char_start"]
    return [
        (f["value"], f["unit"], f["qualifier"], f["item"], f["geography"], f["cumulative"])
        for f in facts
    ]


def test_counts_with_items_and_place() -> None:
    text = (
        "Hospitals across England postponed nearly 9,000 planned operations and "
        "more than 40,000 outpatient appointments during the walkout."
    )
    assert _rows(text) == [
        (9000, "count", "nearly", "planned operations", "England", False),
        (40000, "count", "more_than", "outpatient appointments", "England", False),
    ]


def test_rescheduled_appointments_count_and_cumulative_total() -> None:
    text = "NHS England said 1,234,567 appointments had been rescheduled since the strikes began."
    assert _rows(text) == [
        (1234567, "count", "exact", "appointments", "England", True),
    ]


def test_percent_of_activity_and_period_from_clause() -> None:
    text = "In Greater Manchester, about 30% of elective procedures were cancelled on 27 June."
    facts = extract_cancellations(text, PUBLISHED, ())
    assert len(facts) == 1
    fact = facts[0]
    assert (fact["value"], fact["unit"], fact["qualifier"]) == (30, "percent", "about")
    assert fact["geography"] == "Greater Manchester"
    assert fact["period_start"] == fact["period_end"] == dt.date(2023, 6, 27)


def test_table_under_a_cancellation_heading() -> None:
    text = (
        "Cancelled activity, 27 June\n"
        "4,567 inpatient procedures, 25,009 outpatient appointments, 29,576 total"
    )
    assert [(r[0], r[3]) for r in _rows(text)] == [
        (4567, "inpatient procedures"),
        (25009, "outpatient appointments"),
        (29576, "total"),
    ]


def test_default_period_applies_when_the_clause_gives_no_day() -> None:
    strike_days = (dt.date(2023, 6, 27), dt.date(2023, 6, 29))
    facts = extract_cancellations(
        "Some 600 operations were cancelled.", PUBLISHED, (), default_period=strike_days
    )
    assert (facts[0]["period_start"], facts[0]["period_end"]) == strike_days


def test_statement_date_is_not_the_period() -> None:
    text = "The Government announced yesterday that 2,100 operations had been cancelled."
    facts = extract_cancellations(text, PUBLISHED, ())
    assert facts[0]["period_start"] is None


def test_figures_that_are_not_cancellations() -> None:
    text = (
        "Up to 300 people joined a rally in Birmingham. Doctors attended about 100 picket "
        "lines. Dr Sam Cole, 29, said operations were cancelled. "
        "The cuts amount to 13% of the normal daily total of 30,000 after £22bn of savings."
    )
    assert [r[0] for r in _rows(text)] == []


def test_skip_spans() -> None:
    text = "Trusts cancelled 5,000 operations."
    assert _rows(text, skip_spans=[(0, len(text))]) == []


def test_a_figure_takes_the_days_of_the_strike_its_sentence_names():
    text = "Last month's 72-hour strike, from 13 to 16 March, saw 175,000 appointments postponed.\n"
    (fact,) = extract_cancellations(text, dt.date(2023, 4, 11), default_period=None)
    assert (fact["period_start"], fact["period_end"]) == (
        dt.date(2023, 3, 13),
        dt.date(2023, 3, 16),
    )

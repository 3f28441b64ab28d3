"""Strike actions: start, end, scope, status, staff group."""

from __future__ import annotations

import datetime as dt

from strikewatch.extract.strikes import extract_strikes


def _rows(text: str, published: dt.date | None) -> list[tuple]:
    return [
        (f["starts_at"], f["start_precision"], f["ends_at"], f["status"], f["staff_group"])
        for f in extract_strikes(text, published, ())
    ]


def test_planned_strike_with_start_and_end_times() -> None:
    text = "Resident doctors in England will strike from 7am on 27 June to 7am on 2 July."
    assert _rows(text, dt.date(2023, 6, 20)) == [
        (
            dt.datetime(2023, 6, 27, 7),
            "minute",
            dt.datetime(2023, 7, 2, 7),
            "planned",
            "resident doctors",
        ),
    ]


def test_held_strike_today_with_duration_and_scope() -> None:
    text = "Consultants have walked out for 48 hours from 7am today, with emergency care only."
    facts = extract_strikes(text, dt.date(2023, 7, 20), ())
    assert len(facts) == 1
    fact = facts[0]
    assert fact["starts_at"] == dt.datetime(2023, 7, 20, 7)
    assert fact["ends_at"] == dt.datetime(2023, 7, 22, 7)
    assert fact["status"] == "held"
    assert fact["scope"] == "emergency care provided"
    assert fact["staff_group"] == "consultants"


def test_called_off_strike_is_suspended() -> None:
    text = "A walkout that was planned for 5 December was called off after talks resumed."
    rows = _rows(text, dt.date(2023, 12, 10))
    assert [(r[0].date(), r[3]) for r in rows] == [(dt.date(2023, 12, 5), "suspended")]


def test_statement_and_end_dates_are_not_starts() -> None:
    text = (
        "The union told reporters on Monday that the strike would be solid. "
        "The strike will finish at 8am on Wednesday. "
        "On Tuesday, the minister said the walkout was unnecessary. "
        "Nurses voted in November to strike."
    )
    assert _rows(text, dt.date(2023, 1, 17)) == []


def test_second_day_merges_into_first() -> None:
    text = (
        "Junior doctors are on strike between 08:00 and 17:00 today. "
        "Further strike action is due on Wednesday, between the same hours."
    )
    rows = _rows(text, dt.date(2016, 4, 26))
    assert [(r[0], r[3]) for r in rows] == [(dt.datetime(2016, 4, 26, 8), "held")]


def test_without_published_date_relative_days_give_nothing() -> None:
    assert _rows("Junior doctors are on strike today.", None) == []
    rows = _rows("Junior doctors will strike on 3 March 2023.", None)
    assert [(r[0], r[3]) for r in rows] == [(dt.datetime(2023, 3, 3), "unknown")]


def test_a_weekday_before_a_full_date_does_not_move_the_strike():
    text = "The union has announced a further 72-hour strike from 7am on Wednesday 14 June.\n"
    (action,) = extract_strikes(text, dt.date(2023, 4, 11))
    assert action["starts_at"] == dt.datetime(2023, 6, 14, 7, 0)
    assert action["ends_at"] == dt.datetime(2023, 6, 17, 7, 0)
    assert action["status"] == "planned"


def test_an_explicit_day_range_beats_a_vague_month():
    text = "Last month's 72-hour strike, from 13 to 16 March, saw 175,000 appointments postponed.\n"
    (action,) = extract_strikes(text, dt.date(2023, 4, 11))
    assert action["starts_at"].date() == dt.date(2023, 3, 13)
    assert action["status"] == "held"


def test_a_polls_fieldwork_dates_are_not_a_strike():
    text = (
        "A new Ipsos poll, conducted 12-14 July, finds that half of the public (51%) support "
        "junior doctors taking strike action.\n"
    )
    assert extract_strikes(text, dt.date(2023, 7, 20)) == []

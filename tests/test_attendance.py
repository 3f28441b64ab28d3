"""Attendance: shares working or out, absent counts, doctors expected."""

from __future__ import annotations

import datetime as dt

from strikewatch.extract.attendance import extract_attendance

PUBLISHED = dt.date(2023, 3, 14)


def _rows(text: str) -> list[tuple]:
    facts = extract_attendance(text, PUBLISHED, ())
    return [
        (f["metric"], f["value"], f["unit"], text[f["char_start"] : f["char_end"]]) for f in facts
    ]


def test_share_not_working() -> None:
    text = "NHS England said 61% of resident doctors due in work today did not turn up."
    assert _rows(text) == [
        (
            "pct_not_working",
            61,
            "percent",
            "NHS England said 61% of resident doctors due in work today did not turn up",
        )
    ]


def test_share_working_with_expected_total() -> None:
    text = (
        "Officials confirmed 42% of junior doctors out of a possible 31,000 have reported for work."
    )
    rows = _rows(text)
    assert [(r[0], r[1]) for r in rows] == [("pct_working", 42), ("doctors_expected", 31000)]
    assert rows[1][3] == "out of a possible 31,000"


def test_absent_count_with_place_and_date() -> None:
    text = "In Wales, just over 2,300 doctors have not been on wards since Monday."
    facts = extract_attendance(text, PUBLISHED, ())
    assert len(facts) == 1
    assert (facts[0]["metric"], facts[0]["value"]) == ("staff_absent", 2300)
    assert facts[0]["geography"] == "Wales"
    assert facts[0]["as_of"] == dt.date(2023, 3, 13)


def test_forecasts_votes_and_memberships_are_not_attendance() -> None:
    text = (
        "The trust expected 75% of its junior doctors to be on strike. "
        "98% of members voted to go on strike. "
        "The union covers about 80% of junior doctors. "
        "The trust employs 225 junior doctors who may take part in industrial action."
    )
    assert _rows(text) == []


def test_staff_off_work_are_absent():
    text = "At the peak of the action, 20,133 staff were off work.\n"
    (fact,) = extract_attendance(text, dt.date(2024, 1, 5))
    assert (fact["metric"], fact["value"], fact["unit"]) == ("staff_absent", 20133.0, "count")

"""Counts that are neither cancellations nor attendance land in other_figures, not elsewhere."""

from __future__ import annotations

from datetime import date

from strikewatch.extract import extract_facts
from strikewatch.extract.other_figures import extract_other_figures

DAY = date(2023, 1, 18)


def test_rally_and_picket_counts_are_other_figures():
    text = (
        "Around 2,000 people marched through Leeds city centre. "
        "Nurses staffed 40 picket lines across Yorkshire.\n"
    )
    facts = extract_other_figures(text, DAY)
    assert [(f["value"], f["label"]) for f in facts] == [(2000.0, "people"), (40.0, "picket lines")]
    for fact in facts:
        assert text[fact["char_start"] : fact["char_end"]].strip()


def test_a_rally_size_is_never_a_cancellation():
    text = "Up to 300 people joined the rally outside the hospital on Tuesday.\n"
    facts = extract_facts(text, DAY)
    assert facts["cancellations"] == []
    assert [f["value"] for f in facts["other_figures"]] == [300.0]


def test_figures_claimed_by_another_table_are_left_out():
    text = "Hospitals postponed 1,200 operations and 500 people rallied.\n"
    claimed = [(0, text.index(" and"))]
    facts = extract_other_figures(text, DAY, claimed=claimed)
    assert [f["value"] for f in facts] == [500.0]


def test_ages_money_and_years_are_not_counted():
    text = "Dr Amira Khan, 29, said the £22bn plan from 2019 would cost 6/1 odds.\n"
    assert extract_other_figures(text, DAY) == []

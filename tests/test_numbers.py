"""Figures written alone, and the figure scan: the same matches at word starts as everywhere.

How figures read in running text is in tests/cases/quantities.yaml.
"""

from __future__ import annotations

import pytest

from strikewatch.extract.analysis import _candidate_starts
from strikewatch.extract.numbers import _FIGURE, parse_number, scan_quantities
from strikewatch.extract.scanning import finditer_at


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("100,000", 100_000),
        ("89 000", 89_000),
        ("12, 800", 12_800),
        ("13.5%", 13.5),
        ("64 per cent", 64),
        ("three hundred", 300),
        ("twenty-five", 25),
        ("a quarter", 25),
        ("half", 50),
        ("two-thirds", 66.7),
        ("one in five (18%)", 18),
        ("more than half (54%)", 54),
        ("just over 15,800", 15_800),
        ("nearly 40%", 40),
        ("2.5m", 2_500_000),
        ("1.1million", 1_100_000),
        ("1.2 million", 1_200_000),
        ("half a million", 500_000),
        ("three quarters of a million", 750_000),
        ("nine out of 10", 90),
    ],
)
def test_parse_number(written: str, value: float) -> None:
    assert parse_number(written) == pytest.approx(value)


def test_parse_number_rejects_non_figures() -> None:
    assert parse_number("the strike") is None
    assert parse_number("") is None


@pytest.mark.parametrize(
    "text",
    [
        "Nearly 40 operations, ABOUT a third of them, and \u017fome 12 more were cancelled.",
        "More than two-thirds (68%) of 1,200 staff; \u0130n excess of 300 beds were empty.",
        "At 8am, 12noon and 0800 half of them said 3/4; twenty-five 5m \u00a37bn in 2016.",
        "No trains ran, half a million were late and one driver, 2,310, stayed 45 per\ncent.",
    ],
)
def test_figure_scan_at_word_starts_matches_a_full_scan(text: str) -> None:
    starts, _ = _candidate_starts(text.lower(), text)
    quick = finditer_at(_FIGURE, text, starts)
    assert [m.span() for m in quick] == [m.span() for m in _FIGURE.finditer(text)]


def test_long_text_is_linear() -> None:
    text = "Some 1,000 operations were cancelled on the day. " * 20_000
    starts, _ = _candidate_starts(text.lower(), text)
    assert len(scan_quantities(text, starts)) == 20_000

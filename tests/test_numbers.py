"""Figures as news writes them, and figures that are not quantities."""

from __future__ import annotations

import pytest

from strikewatch.extract.numbers import (
    Quantity,
    clause_around,
    find_quantities,
    parse_number,
    sentence_spans,
)


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
        ("1.2 million", 1_200_000),
        ("nine out of 10", 90),
    ],
)
def test_parse_number(written: str, value: float) -> None:
    assert parse_number(written) == pytest.approx(value)


def test_parse_number_rejects_non_figures() -> None:
    assert parse_number("the strike") is None
    assert parse_number("") is None


def _found(text: str) -> list[tuple[float, str, str, str]]:
    return [
        (q.value, q.unit, q.qualifier, text[q.char_start : q.char_end])
        for q in find_quantities(text)
    ]


def test_qualifiers_and_spans() -> None:
    text = (
        "Trusts postponed more than 4,100 operations, almost 20% of clinics, approximately "
        "900 scans, at least 3,000 appointments and up to 700 day cases."
    )
    assert _found(text) == [
        (4100, "count", "more_than", "more than 4,100"),
        (20, "percent", "almost", "almost 20%"),
        (900, "count", "about", "approximately 900"),
        (3000, "count", "at_least", "at least 3,000"),
        (700, "count", "up_to", "up to 700"),
    ]


def test_fraction_with_bracketed_share_takes_the_share() -> None:
    text = "Roughly one in four (27%) said they would back a walkout."
    assert _found(text) == [(27, "percent", "exact", "Roughly one in four (27%)")]


def test_table_row_of_figures() -> None:
    text = "4,567 inpatient procedures, 25,009 outpatient appointments, 29,576 total"
    assert [q.value for q in find_quantities(text)] == [4567, 25009, 29576]


@pytest.mark.parametrize(
    "text",
    [
        "Dr Priya Shah, 31, said the rota was unsafe.",
        "Talks first broke down in 2016 and again in 2023.",
        "The NHS faces a £22bn gap and the minimum wage was £7.20 an hour.",
        "Bookmakers cut the odds from 6/1 to 5/2.",
        "Call 0300 123 4567 or NHS 111 for advice.",
        "Pickets formed at 08:00 and the rally began at 8am.",
        "Doctors walk out on 26 January for a 48-hour stoppage lasting 24 hours.",
        "Covid-19 wards stayed open on the 3rd floor.",
        "In the first half of the year the talks stalled.",
    ],
)
def test_non_quantities_are_left_out(text: str) -> None:
    assert find_quantities(text) == []


def test_a_count_after_a_place_is_not_an_age() -> None:
    text = "In Leeds, 36 operations were cancelled."
    assert _found(text) == [(36, "count", "exact", "36")]


def test_window_limits_results_but_keeps_offsets() -> None:
    text = "First 1,000 patients. Then 2,000 patients."
    second = text.index("Then")
    assert find_quantities(text, second) == [
        Quantity(2000, "count", "exact", second + 5, second + 10)
    ]


def test_sentences_and_clauses() -> None:
    text = "• NHS England said 38% turned up. Hospitals coped, it said; pickets left."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "NHS England said 38% turned up.",
        "Hospitals coped, it said; pickets left.",
    ]
    second = spans[1]
    position = text.index("it said")
    start, end = clause_around(text, second, position, position + 2)
    assert text[start:end] == "it said"


def test_long_text_is_linear() -> None:
    text = "Some 1,000 operations were cancelled on the day. " * 20_000
    assert len(find_quantities(text)) == 20_000


@pytest.mark.parametrize(
    "text",
    [
        "Nearly 40 operations, ABOUT a third of them, and \u017fome 12 more were cancelled.",
        "More than two-thirds (68%) of 1,200 staff; \u0130n excess of 300 beds were empty.",
        "At 8am, 12noon and 0800 half of them said 3/4; twenty-five 5m \u00a37bn in 2016.",
    ],
)
def test_figure_scan_at_word_starts_matches_a_full_scan(text: str) -> None:
    from strikewatch.extract import numbers
    from strikewatch.extract.scanning import finditer_at

    quick = finditer_at(numbers._FIGURE, text, numbers._figure_starts(text))
    assert [m.span() for m in quick] == [m.span() for m in numbers._FIGURE.finditer(text)]


def test_sentence_spans_of_a_range_are_those_of_that_range() -> None:
    text = "First one here. Second one, 40 beds. Third one."
    assert sentence_spans(text) == [(0, 15), (16, 36), (37, 47)]
    assert sentence_spans(text, 16) == [(16, 36), (37, 47)]
    assert sentence_spans(text, 0, 36) == [(0, 15), (16, 36)]

"""Tests of strikewatch.extract.polls on sentences written for the tests and on the seeds."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from strikewatch.evaluate import evaluate, load_gold
from strikewatch.extract.polls import extract_polls, poll_identity

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
APRIL = dt.date(2023, 4, 20)


def results(text: str, published: dt.date | None = APRIL) -> list[dict]:
    """Poll rows of a text, each checked to be grounded."""
    rows = extract_polls(text, published)
    for row in rows:
        assert text[row["char_start"] : row["char_end"]]
    return rows


def answers(text: str) -> list[tuple[str, float]]:
    """(measure, pct) of each result, in text order."""
    return [(row["measure"], row["pct"]) for row in results(text)]


def test_named_poll_with_sponsor_sample_and_month():
    text = (
        "A YouGov poll of 2,000 adults for The Times, carried out in March, found 52% support "
        "the walkout, while 35% oppose it and 13% don't know."
    )
    rows = results(text)
    assert [(r["measure"], r["pct"]) for r in rows] == [
        ("support", 52),
        ("oppose", 35),
        ("dont_know", 13),
    ]
    first = rows[0]
    assert (first["pollster"], first["commissioned_by"], first["sample_size"]) == (
        "YouGov",
        "The Times",
        2000,
    )
    assert first["population"] == "adults"
    assert (first["poll_date"], first["poll_date_precision"]) == (dt.date(2023, 3, 1), "month")
    assert text[first["char_start"] : first["char_end"]] == "52% support"


def test_fraction_and_word_shares():
    text = "A Savanta poll for the Mirror found 61% back the nurses while a third oppose them."
    assert answers(text) == [("support", 61), ("oppose", pytest.approx(33.3))]


def test_bare_number_after_a_percentage_is_a_percentage():
    text = "The Opinium survey shows 58 per cent blame ministers while only 17 blame the union."
    assert answers(text) == [("blame_government", 58), ("blame_doctors", 17)]


def test_bracketed_share_and_strength():
    text = "In the poll, roughly one in four (23%) strongly support the action."
    assert answers(text) == [("strongly_support", 23)]


def test_figure_named_before_it_and_earlier_round():
    text = (
        "A new Ipsos survey for the King's Fund shows 49% support the strikes. "
        "While 49% support them now, the share supporting strikes was 60% in December."
    )
    rows = results(text)
    assert [(r["measure"], r["pct"]) for r in rows] == [
        ("support", 49),
        ("support", 49),
        ("support", 60),
    ]
    latest, earlier = rows[0], rows[2]
    assert latest["poll_date"] == dt.date(2023, 4, 1)
    assert earlier["poll_date"] == dt.date(2022, 12, 1) and earlier["pollster"] == "Ipsos"
    assert earlier["commissioned_by"] is None
    assert poll_identity(latest) != poll_identity(earlier)


def test_union_ballot_is_a_poll_of_members():
    text = (
        "Junior doctors took part in the vote. Of the 47,000 eligible, it was the BMA that "
        "announced 94% voted in February to take action."
    )
    [row] = results(text)
    assert (row["measure"], row["pct"], row["pollster"]) == ("support", 94, "BMA ballot")
    assert row["population"] == "BMA junior doctor members"
    assert row["poll_date"] == dt.date(2023, 2, 1)


def test_unnamed_poll_other_answer():
    text = "An informal survey on a forum for nurses found that 70 per cent of nurses would quit."
    [row] = results(text)
    assert (row["measure"], row["pct"], row["pollster"]) == ("other:would_quit", 70, None)
    assert row["population"] == "nurses"


def test_answer_block_under_a_question():
    text = (
        "Ipsos asked 1,000 adults in June.\n"
        "To what extent do you support or oppose the strike?\n"
        "Strongly support 30%\nTend to support 22%\nTend to oppose 15% / Strongly oppose 11%\n"
        "Don't know 9%"
    )
    rows = results(text)
    assert [(r["measure"], r["pct"]) for r in rows] == [
        ("strongly_support", 30),
        ("other:tend_to_support", 22),
        ("other:tend_to_oppose", 15),
        ("strongly_oppose", 11),
        ("dont_know", 9),
    ]
    assert {r["question"] for r in rows} == {"To what extent do you support or oppose the strike?"}
    assert {r["pollster"] for r in rows} == {"Ipsos"}


@pytest.mark.parametrize(
    "text",
    [
        "Hospitals cancelled 5% of operations as 78% of doctors walked out.",
        "The offer is a 6% pay rise, and 75% of staff would be better off, ministers said.",
        "The BMA said 98% of members who voted backed action, on a turnout of 77%.",
        "Figures show 40% of junior doctors turned up, a survey of trusts found.",
    ],
)
def test_figures_that_are_not_poll_answers(text):
    measures = [(r["measure"], r["pct"]) for r in results(text)]
    assert (77.0 not in [pct for _, pct in measures]) and all(m != "oppose" for m, _ in measures)
    if "poll" not in text and "survey" not in text and "voted" not in text:
        assert measures == []


def test_figure_without_poll_context_is_ignored():
    assert results("Some 90% of junior doctors would quit, the headline says.") == []


def test_skip_spans_hide_boilerplate():
    text = "A YouGov poll found 52% support the strike."
    assert results(text) and extract_polls(text, APRIL, [(0, len(text))]) == []


def test_same_poll_from_two_outlets_has_one_identity():
    first = results("An Ipsos MORI poll for the BBC found 57% support the strike.")[0]
    second = results("Polling by Ipsos Mori for BBC News suggests 26% oppose it.")[0]
    assert poll_identity(first) == poll_identity(second)
    may = first | {"poll_date": dt.date(2023, 5, 1)}
    assert poll_identity(may) != poll_identity(first)


def seed_predictions() -> tuple[list[dict], dict[str, str]]:
    """Poll predictions on the seeds in gold format, with the seed texts."""
    with (SEEDS / "sources.csv").open(encoding="utf-8") as manifest:
        published = {
            row["file"]: dt.date.fromisoformat(row["published_date"])
            for row in csv.DictReader(manifest)
        }
    predicted, texts = [], {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts[path.name] = text
        for row in extract_polls(text, published[path.name]):
            month = row["poll_date_precision"] == "month" and row["poll_date"]
            predicted.append(
                {
                    "type": "poll",
                    "file": path.name,
                    "evidence": text[row["char_start"] : row["char_end"]],
                    "char_start": row["char_start"],
                    "char_end": row["char_end"],
                    "date": row["poll_date"].strftime("%Y-%m") if month else row["poll_date"],
                    **{k: row[k] for k in ("pollster", "commissioned_by", "sample_size")},
                    **{k: row[k] for k in ("population", "measure", "pct")},
                }
            )
    return predicted, texts


def test_seed_polls_score_at_least_0_9():
    predicted, texts = seed_predictions()
    gold = [fact for fact in load_gold(ROOT / "tests/fixtures/gold_seeds.jsonl")]
    gold = [fact for fact in gold if fact["type"] == "poll"]
    report = evaluate(gold, predicted, texts)
    assert report.scores["poll"].f1 >= 0.9
    assert report.grounded == report.grounding_checked == len(predicted)
    for field_name in ("pollster", "date", "measure"):
        correct, total = report.attribute_counts["poll"][field_name]
        assert correct / total >= 0.9


def test_seed_reports_of_one_poll_share_an_identity():
    predicted, _ = seed_predictions()
    seed_rows = {
        path.name: extract_polls(path.read_text(encoding="utf-8"), dt.date(2016, 4, 26))
        for path in SEEDS.glob("*.txt")
    }
    april = {
        poll_identity(row)
        for rows in seed_rows.values()
        for row in rows
        if row["pollster"] == "Ipsos MORI" and row["commissioned_by"]
    }
    assert len(april) == 1


@pytest.mark.parametrize(
    ("sentence", "is_poll"),
    [
        ("A \u017furvey of nurses found 60% backed the walkout.", True),
        ("Turnout was 53%, the union said.", True),
        ("Ipsos Mori found most people agreed.", True),
        ("Doctors walked out at 8am on Tuesday.", False),
    ],
)
def test_poll_sentence_hint_never_hides_a_poll_word(sentence: str, is_poll: bool) -> None:
    from strikewatch.extract.polls import _is_poll_sentence

    assert _is_poll_sentence(sentence, has_percent=True) is is_poll


def test_answers_to_a_blame_question_name_who_is_blamed():
    text = (
        "A new Ipsos poll of 1,074 British adults finds 51% support the strike.\n\n"
        "Asked who is most to blame for the strikes, 39% say the government, 16% say the "
        "doctors themselves and 23% say both equally.\n"
    )
    got = [(f["measure"], f["pct"]) for f in extract_polls(text, dt.date(2023, 7, 20))]
    assert got == [
        ("support", 51.0),
        ("blame_government", 39.0),
        ("blame_doctors", 16.0),
        ("blame_both", 23.0),
    ]

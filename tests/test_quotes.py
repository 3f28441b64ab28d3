"""Tests of strikewatch.extract.quotes on sentences written for the tests and on the seeds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from strikewatch.extract import Analysis
from strikewatch.extract.quotes import extract_quotes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def quotes(text: str, skip_spans=()) -> list[dict]:
    """Quotes of a text, each checked to sit verbatim at its offsets."""
    doc = Analysis.of(text, None, skip_spans)
    found = [dataclasses.asdict(quote) for quote in extract_quotes(doc, {})]
    for quote in found:
        assert text[quote["char_start"] : quote["char_end"]] == quote["quote"]
    return found


def who(found: list[dict]) -> list[tuple]:
    """(speaker, role, organisation, quote) of each quote."""
    return [(q["speaker"], q["speaker_role"], q["organisation"], q["quote"]) for q in found]


def test_bbc_block_with_attribution_line():
    text = (
        "Nurses gathered outside the infirmary.\n"
        "Quote MessageWe have been left with no choice but to stand here today.\n"
        "Quote MessageNobody wants to strike, least of all us.\n"
        "Amira Khan, Staff nurse, Leeds Teaching Hospitals\n"
        "Next entrypublished at 10:00"
    )
    assert who(quotes(text)) == [
        (
            "Amira Khan",
            "Staff nurse",
            "Leeds Teaching Hospitals",
            "We have been left with no choice but to stand here today.",
        ),
        (
            "Amira Khan",
            "Staff nurse",
            "Leeds Teaching Hospitals",
            "Nobody wants to strike, least of all us.",
        ),
    ]


def test_bbc_block_introduced_by_a_reporting_line():
    text = (
        "Dr Tom Ellis, chair of the consultants' committee at the BMA, said:\n"
        "Quote MessageThe offer on the table simply does not add up for our members.\n"
        "Another entry"
    )
    [quote] = quotes(text)
    assert (quote["speaker"], quote["speaker_role"], quote["organisation"]) == (
        "Tom Ellis",
        "chair of the consultants' committee",
        "BMA",
    )


def test_said_before_and_after_with_curly_and_straight_quotes():
    text = (
        "Health Secretary Jane Morton said: “We will not reopen the pay award this year.”\n"
        '"The door to talks remains open to the union," Ms Morton told reporters.'
    )
    assert who(quotes(text)) == [
        ("Jane Morton", "Health Secretary", None, "We will not reopen the pay award this year."),
        ("Jane Morton", "Health Secretary", None, "The door to talks remains open to the union"),
    ]


def test_pronoun_resolves_to_the_person_named_before():
    text = (
        "Owen Pryce, a registrar in Cardiff, joined the picket at dawn.\n"
        'He said: "I have never felt so undervalued in my whole career."'
    )
    [quote] = quotes(text)
    assert quote["speaker"] == "Owen Pryce"


def test_pronoun_without_a_named_person_stays_unknown():
    text = 'The crowd grew by noon.\nShe said: "We are here for our patients and nobody else."'
    [quote] = quotes(text)
    assert quote["speaker"] is None


def test_next_paragraph_continues_the_speaker():
    text = (
        'Union leader Pat Doyle said: "This dispute could have been settled months ago.\n\n'
        '"Ministers chose to let it drag on instead of talking to us."'
    )
    found = quotes(text)
    assert [q["speaker"] for q in found] == ["Pat Doyle", "Pat Doyle"]
    assert found[0]["quote"] == "This dispute could have been settled months ago."


def test_scare_quotes_are_not_quotes():
    text = "Minister calls walkout a 'bleak day' as doctors describe \"crisis\" and 'total chaos'."
    assert quotes(text) == []


def test_organisation_as_speaker():
    text = 'St Mary\'s Hospital said: "All planned surgery is going ahead as normal today."'
    [quote] = quotes(text)
    assert quote["speaker"] == "St Mary's Hospital"


def test_role_only_speaker():
    text = 'The spokeswoman added: "We have held more than forty meetings with the union."'
    [quote] = quotes(text)
    assert (quote["speaker"], quote["speaker_role"]) == (None, "spokeswoman")


def test_no_quote_across_boilerplate():
    body = 'A nurse said: "We are exhausted and we need more staff on the wards now."'
    text = "Cookie banner text here.\n" + body
    assert quotes(text)
    assert quotes(text, [(len(text) - 20, len(text))]) == []


def test_seed_quotes_are_verbatim_and_attributed():
    found = {path.name: quotes(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt")}
    bbc = found["000_a7216da1061b563f.txt"]
    block = next(q for q in bbc if q["quote"].startswith("Fragments of my profession"))
    assert (block["speaker"], block["speaker_role"], block["organisation"]) == (
        "Pam Wynne",
        "Junior doctor",
        "UHCW",
    )
    huffpost = found["003_1d0bc4b440ee09f0.txt"]
    assert any(q["speaker"] == "Mark Serwotka" and q["organisation"] == "PCS" for q in huffpost)
    all_quotes = [q for rows in found.values() for q in rows]
    assert all(len(q["quote"].split()) >= 4 for q in all_quotes)
    named = [q for q in all_quotes if q["speaker"]]
    assert len(named) / len(all_quotes) >= 0.6

"""The speaker review of `make eval` (strikewatch/speaker_report.py), on sentences written here."""

from __future__ import annotations

import pytest

from strikewatch.speaker_report import (
    format_review,
    organisation_problems,
    review,
    role_problems,
    speaker_problems,
)

ARTICLE = (
    "Tom Reid, the Labour MP for Ashby Fields, joined the picket. The Ashby Fields MP said the "
    "dispute was a failure. Education Secretary Alana Brooks said the offer was final."
)


@pytest.mark.parametrize(
    ("speaker", "problem"),
    [
        ("Leeds", "place"),
        ("Ashby Fields", "place"),  # named only as a seat: "MP for X", "the X MP"
        ("Maria Lopez's", "possessive"),
        ("Shadow Health Minister, Tom Reid", "role"),
        ("Health Secretary", "role"),
        ("Here is video", "fragment"),
        ("Before Tom Reid", "fragment"),
        ("union leader Tom Reid", "fragment"),
    ],
)
def test_speakers_that_are_no_person_or_organisation(speaker, problem):
    problems = speaker_problems(speaker, ARTICLE)
    assert any(problem in found for found in problems), problems


@pytest.mark.parametrize(
    "speaker",
    [
        "Tom Reid",
        "Alana Brooks",
        "Royal Mail",
        "Riverside Hospitals NHS Trust",
        "Bank of England",
        "Ursula von der Leyen",
        "Ngozi Adeyemi-Clarke and Liam Farrelly",
    ],
)
def test_people_and_organisations_pass(speaker):
    assert speaker_problems(speaker, ARTICLE) == []


@pytest.mark.parametrize(
    "role",
    [
        "Here is video",
        "it",
        "People are holding placards",
        "spokeswoman for trade group the",
        "Speaking about them she",
        "Royal College of Nursing this week",
        "Of those polled, 72%",
        "co-leader Dr Clive Peedell, an oncologist",
        "Department",
    ],
)
def test_roles_that_are_fragments(role):
    assert role_problems(role)


@pytest.mark.parametrize(
    "role",
    [
        "general secretary",
        "chair of the union's pay committee",
        "trainee who has been at the hospital for a year",
        "Chief People Officer",
        "Vice President",
        "former professor of geriatric medicine",
    ],
)
def test_roles_that_are_noun_phrases(role):
    assert role_problems(role) == []


def test_organisation_checks():
    assert organisation_problems("Mr Reid", ARTICLE)
    assert organisation_problems("Chancellor of the College of Ashby", ARTICLE)
    assert organisation_problems("RCN Scotland’", ARTICLE)
    assert organisation_problems("the Ashby trust", ARTICLE) == []
    assert organisation_problems("SAG-AFTRA", ARTICLE) == []


def test_review_counts_and_lists_every_quote():
    rows = [
        {"source_file": "a.txt", "char_start": 5, "speaker": "Brooks", "speaker_role": None,
         "organisation": None, "quote": "There will be no more money this year."},
        {"source_file": "a.txt", "char_start": 1, "speaker": None, "speaker_role": "reporter",
         "organisation": None, "quote": "Where is the minister tonight?"},
        {"source_file": "a.txt", "char_start": 9, "speaker": "Ashby Fields",
         "speaker_role": None, "organisation": None, "quote": "We need talks before Sunday."},
    ]  # fmt: skip
    counts = review(rows, {"a.txt": ARTICLE})
    assert (counts.quotes, counts.without_speaker) == (3, 1)
    assert (counts.not_person_or_organisation, counts.not_merged) == (1, 1)
    assert [quote.char_start for quote in counts.reviewed] == [1, 5, 9]
    text = format_review(counts)
    assert counts.line() in text
    assert "speaker='Ashby Fields'" in text and "speaker is a place" in text
    assert "'Where is the minister tonight?'" in text

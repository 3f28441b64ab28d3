"""Extraction may not score below the floors in tests/eval_floors.toml on the seeds and the
development sets, and every real article of them extracts within its time budget."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from strikewatch.scoreboard import attribute_accuracy, default_sets, micro, score_set

FLOORS = tomllib.loads((Path(__file__).parent / "eval_floors.toml").read_text(encoding="utf-8"))
SETS = {eval_set.name: eval_set for eval_set in default_sets()}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request):
    eval_set = SETS[request.param]
    if not eval_set.present:
        pytest.skip(f"{eval_set.name}: {eval_set.source} is absent")
    return request.param, score_set(eval_set)


def test_no_real_article_is_quarantined(scored):
    name, report = scored
    assert report.quarantined == [], f"{name}: {report.quarantined}"


def test_scores_hold_their_floors(scored):
    name, report = scored
    floors = FLOORS[name]
    overall = micro(report)
    assert round(overall.precision, 2) >= floors["micro_precision"], name
    assert round(overall.f1, 2) >= floors["micro_f1"], name
    for fact_type, floor in floors["type_f1"].items():
        assert round(report.scores[fact_type].f1, 2) >= floor, (name, fact_type)
    for attribute, floor in floors.get("attributes", {}).items():
        right, compared = attribute_accuracy(report, attribute)
        assert compared and round(right / compared, 2) >= floor, (name, attribute)


def test_every_evidence_is_grounded(scored):
    _, report = scored
    assert report.grounding_checked and report.grounded == report.grounding_checked

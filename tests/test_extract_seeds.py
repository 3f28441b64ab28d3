"""extract_facts over the five seed articles, scored against the hand-labelled gold."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest

from strikewatch.extract import FACT_TYPES, extract_facts

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "gold_seeds.jsonl"
F1_FLOOR = 0.9


def _number(value: object) -> float:
    return round(float(value), 2)  # type: ignore[arg-type]


def _strike_start(fact: dict) -> str:
    """The start as the gold writes it, at the fact's precision."""
    start = fact["starts_at"]
    return (
        start.strftime("%Y-%m") if fact["start_precision"] == "month" else start.date().isoformat()
    )


# gold type -> (table, key of a predicted fact, key of a gold fact), after the gold README
MATCHING = {
    "cancellation": (
        "cancellations",
        lambda f: (_number(f["value"]), f["unit"]),
        lambda g: (_number(g["value"]), g["unit"]),
    ),
    "attendance": (
        "attendance",
        lambda f: (_number(f["value"]), f["metric"]),
        lambda g: (_number(g["value"]), g["metric"]),
    ),
    "strike": ("strike_actions", _strike_start, lambda g: g["start"][:10]),
    "poll": (
        "poll_results",
        lambda f: (_number(f["pct"]), f["measure"]),
        lambda g: (_number(g["pct"]), g["measure"]),
    ),
}


def _published_dates() -> dict[str, dt.date]:
    with open(SEEDS / "sources.csv", encoding="utf-8") as handle:
        return {
            row["file"]: dt.date.fromisoformat(row["published_date"])
            for row in csv.DictReader(handle)
        }


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, dict[str, list[dict]]]]:
    results = {}
    for name, published in _published_dates().items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        results[name] = (text, extract_facts(text, published))
    return results


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    with open(GOLD, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(gold: list[dict], extracted: dict, gold_type: str) -> tuple[float, float, float]:
    """Precision, recall, F1: one-to-one pairs per (file, key); restatements are not counted."""
    table, predicted_key, gold_key = MATCHING[gold_type]
    golds: dict[tuple, int] = defaultdict(int)
    for fact in gold:
        if fact["type"] == gold_type:
            golds[(fact["file"], gold_key(fact))] += 1
    predictions: dict[tuple, int] = defaultdict(int)
    for name, (_, facts) in extracted.items():
        for fact in facts[table]:
            predictions[(name, predicted_key(fact))] += 1
    matched = counted = 0
    for key in golds.keys() | predictions.keys():
        pairs = min(golds[key], predictions[key])
        matched += pairs
        counted += pairs if pairs else predictions[key]
    total_gold = sum(golds.values())
    precision = matched / counted if counted else 0.0
    recall = matched / total_gold if total_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@pytest.mark.parametrize("gold_type", ["cancellation", "attendance", "strike", "poll"])
def test_seed_f1_floor(gold: list[dict], extracted: dict, gold_type: str) -> None:
    precision, recall, f1 = score(gold, extracted, gold_type)
    assert f1 >= F1_FLOOR, f"{gold_type}: P={precision:.2f} R={recall:.2f} F1={f1:.2f}"


def test_every_table_is_present(extracted: dict) -> None:
    for _, facts in extracted.values():
        assert set(facts) == set(FACT_TYPES)


def test_every_fact_is_grounded_at_its_offsets(extracted: dict) -> None:
    for name, (text, facts) in extracted.items():
        for table, found in facts.items():
            for fact in found:
                evidence = text[fact["char_start"] : fact["char_end"]]
                assert evidence.strip(), (name, table, fact)
                assert fact["char_end"] > fact["char_start"]
                if "evidence" in fact:
                    assert evidence == fact["evidence"], (name, table, fact)


def test_skip_spans_keep_facts_out(extracted: dict) -> None:
    name = "000_a7216da1061b563f.txt"
    text, facts = extracted[name]
    first = facts["cancellations"][0]
    span = (first["char_start"], first["char_end"])
    skipped = extract_facts(text, _published_dates()[name], [span])
    assert all(f["char_start"] != span[0] for f in skipped["cancellations"])

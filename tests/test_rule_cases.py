"""Rule cases as data: every case in tests/cases/*.yaml is a sentence and what must come of it.

A file is named after what it checks: a fact table ("poll_results.yaml", ...) or a layer of
the document analysis ("quantities.yaml", "dates.yaml", "times.yaml", "durations.yaml"). Each
case is

    - text: "A sentence written for the test."
      published: 2023-04-20        # optional; the article's date (absent or null: none known)
      skip: ["a passage"]          # optional; page furniture: passages of the text (their first
                                   # occurrence) or [start, end] offsets
      <name>:                      # the file's name: everything of that kind, in text order
        - {field: value, ...}      # only the fields given are compared; "evidence" is the
                                   # text at the item's offsets
      <other name>: []             # optional: any other table or layer, checked the same way
      note: why the case matters   # optional

An empty list says the text states nothing of that kind. Dates are written as YAML dates,
datetimes as "YYYY-MM-DD HH:MM" strings, clock times as "HH:MM" strings; numbers compare to
two decimals. Every item found must have a non-blank span of the text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml

from strikewatch.extract import Analysis, extract_facts
from strikewatch.extract.dates import DateMention, DurationMention, TimeMention
from strikewatch.extract.numbers import Quantity
from strikewatch.extract.registry import FACT_TYPES

CASES = Path(__file__).resolve().parent / "cases"
LAYERS: dict[str, type] = {  # layer of the analysis -> the type of its items
    "quantities": Quantity,
    "dates": DateMention,
    "times": TimeMention,
    "durations": DurationMention,
}
KINDS = (*LAYERS, *(kind.table for kind in FACT_TYPES))
CASE_KEYS = {"text", "published", "skip", "note"}


def _load() -> list[tuple[str, int, dict]]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        assert path.stem in KINDS, f"{path.name}: not a fact table or analysis layer"
        with path.open(encoding="utf-8") as handle:  # a YAML error names the file
            cases = yaml.safe_load(handle) or []
        found += [(path.stem, number, case) for number, case in enumerate(cases)]
    return found


def _comparable(value: object) -> object:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _skip_spans(text: str, skip: list) -> list[tuple[int, int]]:
    spans = []
    for item in skip:
        if isinstance(item, str):
            assert item in text, f"skip passage {item!r} is not in the text"
            start = text.index(item)
            spans.append((start, start + len(item)))
        else:
            start, end = item
            spans.append((start, end))
    return spans


def _found(kind: str, doc: Analysis, facts: dict[str, list]) -> list[dict]:
    items = getattr(doc, kind) if kind in LAYERS else facts[kind]
    found = []
    for item in items:
        evidence = doc.text[item.char_start : item.char_end]
        assert evidence.strip(), f"{kind}: {item} has a blank span"
        found.append({**dataclasses.asdict(item), "evidence": evidence})
    return found


def _item_type(kind: str) -> type:
    if kind in LAYERS:
        return LAYERS[kind]
    return next(fact_type.record for fact_type in FACT_TYPES if fact_type.table == kind)


def _show(items: list[dict]) -> str:
    return "\n".join(f"    {item}" for item in items) or "    (nothing)"


@pytest.mark.parametrize(
    ("kind", "case"),
    [pytest.param(kind, case, id=f"{kind}-{number}") for kind, number, case in _load()],
)
def test_rule_case(kind: str, case: dict) -> None:
    unknown = set(case) - CASE_KEYS - set(KINDS)
    if unknown or kind not in case:
        pytest.fail(f"unknown keys {sorted(unknown)} or no {kind!r} in the case", pytrace=False)
    text = case["text"]
    doc = Analysis.of(text, case.get("published"), _skip_spans(text, case.get("skip") or []))
    facts = extract_facts(doc)
    problems = []
    for checked in [kind, *(other for other in KINDS if other in case and other != kind)]:
        expected = case[checked] or []
        found = _found(checked, doc, facts)
        fields = {*(f.name for f in dataclasses.fields(_item_type(checked))), "evidence"}
        if misspelt := {name for want in expected for name in want} - fields:
            problems.append(f"{checked}: no field {sorted(misspelt)}")
            continue
        wanted = [{name: _comparable(value) for name, value in want.items()} for want in expected]
        got = [
            {name: _comparable(item.get(name)) for name in want}
            for item, want in zip(found, wanted, strict=False)
        ]
        if (len(found), got) != (len(wanted), wanted):
            shown = [{k: _comparable(v) for k, v in item.items()} for item in found]
            problems.append(f"{checked}:\n  expected\n{_show(wanted)}\n  found\n{_show(shown)}")
    if problems:
        heading = f"{text!r} (published {case.get('published')})"
        pytest.fail("\n".join([heading, *problems]), pytrace=False)

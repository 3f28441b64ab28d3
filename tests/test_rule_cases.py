"""Rule cases as data: every case in tests/cases/*.yaml is a sentence and what must come of it.

A file is named after what it checks: a fact table ("poll_results.yaml", ...) or a layer of
the document analysis ("quantities.yaml", "dates.yaml", "times.yaml", "durations.yaml"). Each
case is

    - text: "A sentence written for the test."
      published: 2023-04-20        # optional; the article's date
      <name>:                      # the file's name: everything of that kind, in text order
        - {field: value, ...}      # only the fields given are compared; "evidence" is the
                                   # text at the item's offsets
      note: why the case matters   # optional

An empty list says the text states nothing of that kind. Dates are written as YAML dates,
datetimes as "YYYY-MM-DD HH:MM" strings; numbers compare to two decimals.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml

from strikewatch.extract import Analysis, extract_facts

CASES = Path(__file__).resolve().parent / "cases"
LAYERS = ("quantities", "dates", "times", "durations")


def _load() -> list[tuple[str, int, dict]]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        for number, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            found.append((path.stem, number, case))
    return found


def _comparable(value: object) -> object:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return round(float(value), 2)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _found(kind: str, text: str, published: dt.date | None) -> list[dict]:
    doc = Analysis.of(text, published)
    items = getattr(doc, kind) if kind in LAYERS else extract_facts(doc)[kind]
    return [
        {**dataclasses.asdict(item), "evidence": text[item.char_start : item.char_end]}
        for item in items
    ]


@pytest.mark.parametrize(
    ("kind", "case"),
    [pytest.param(kind, case, id=f"{kind}-{number}") for kind, number, case in _load()],
)
def test_rule_case(kind: str, case: dict) -> None:
    expected = case[kind] or []
    found = _found(kind, case["text"], case.get("published"))
    got = [
        {name: _comparable(item.get(name)) for name in want}
        for item, want in zip(found, expected, strict=False)
    ]
    wanted = [{name: _comparable(value) for name, value in want.items()} for want in expected]
    assert (len(found), got) == (len(expected), wanted), (
        f"{case['text']!r}\nfound: {[{k: _comparable(v) for k, v in f.items()} for f in found]}"
    )

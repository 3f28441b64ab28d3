"""The registry of fact types: records agree with the warehouse schema and the evaluation, and
the poll identity that groups the answers of one poll."""

from __future__ import annotations

import pytest

from schemas.tables import FACT_TABLES, TABLES, model_columns
from strikewatch.extract.registry import FACT_TYPES, fact_type

# Columns the pipeline adds to every fact row (and poll_id to poll answers).
PIPELINE_COLUMNS = {
    "fact_id",
    "article_id",
    "source_file",
    "post_id",
    "evidence",
    "extractor_version",
    "poll_id",
}


@pytest.mark.parametrize("kind", FACT_TYPES, ids=lambda kind: kind.table)
def test_record_fields_are_the_model_columns_the_pipeline_does_not_add(kind) -> None:
    columns = [name for name, _, _ in model_columns(TABLES[f"extracted.{kind.table}"])]
    assert [name for name in columns if name not in PIPELINE_COLUMNS] == kind.columns


def test_every_fact_table_has_a_fact_type() -> None:
    assert sorted(FACT_TABLES) == sorted(f"extracted.{kind.table}" for kind in FACT_TYPES)
    assert fact_type("poll") is fact_type("poll_results")


@pytest.mark.parametrize("kind", [k for k in FACT_TYPES if k.scored], ids=lambda k: k.name)
def test_scored_types_give_every_gold_field(kind) -> None:
    assert set(kind.match_key) <= set(kind.gold_fields)
    row = {name: None for name in kind.columns} | {"source_file": "a.txt", "evidence": "x"}
    gold = kind.to_gold(row)
    assert set(kind.gold_fields) <= set(gold)
    assert {"file", "evidence", "char_start", "char_end"} <= set(gold)

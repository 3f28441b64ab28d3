"""`strikewatch docs`: the data dictionary and lineage, from the warehouse's own comments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from strikewatch.dictionary import DEFAULT_OUT, Column, Relation, render_dictionary
from strikewatch.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def warehouse(seeds_warehouse) -> Path:
    return seeds_warehouse


@pytest.fixture(scope="module")
def dictionary(warehouse, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("docs") / "data_dictionary.md"
    result = subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", "docs", "--warehouse", str(warehouse),
         "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return out.read_text(encoding="utf-8")


def test_every_relation_and_column_is_described(warehouse, dictionary):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "select schema_name, table_name, column_name, data_type, comment "
            "from duckdb_columns() where schema_name in "
            "('raw', 'core', 'staging', 'marts', 'meta', 'quarantine')"
        ).fetchall()
    assert columns
    for schema, table, column, sql_type, comment in columns:
        assert f"### {schema}.{table}\n" in dictionary
        cell = " ".join(comment.split()).replace("|", "\\|")
        row = f"| `{column}` | `{sql_type}` | {cell} |"
        assert row in dictionary, row


def test_schemas_and_lineage_are_listed(dictionary):
    for schema in ("raw", "core", "staging", "marts", "meta", "quarantine"):
        assert f"## Schema `{schema}`" in dictionary
    assert "```mermaid" in dictionary
    assert (
        'core_figure_estimates["core.figure_estimates"] --> '
        'marts_cancellations_by_date["marts.cancellations_by_date"]'
    ) in dictionary
    assert "| `marts.strike_timeline` | `core.strikes`, `marts.attendance_by_day`" in dictionary
    assert "Read by: `staging.stg_cancellations`" in dictionary  # under core.cancellations


def test_markdown_cells_are_escaped():
    relation = Relation("marts", "demo", "view", "A | B", [Column("x", "VARCHAR", "one | two\n")])
    text = render_dictionary([relation], {"marts.demo": ["core.things"]})
    assert "| `x` | `VARCHAR` | one \\| two |" in text
    assert "Reads: `core.things`" in text


def test_committed_dictionary_is_up_to_date(dictionary):
    assert DEFAULT_OUT == PROJECT_ROOT / "docs" / "data_dictionary.md"
    assert DEFAULT_OUT.read_text(encoding="utf-8") == dictionary, (
        "docs/data_dictionary.md is stale: run `strikewatch run && strikewatch docs`"
    )

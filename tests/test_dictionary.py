"""`strikewatch docs`: dbt's docs site with lineage, and the Markdown data dictionary."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from strikewatch.dictionary import (
    DEFAULT_OUT,
    SCHEMAS,
    Column,
    Relation,
    render_dictionary,
    write_dbt_docs,
    write_dictionary,
)
from strikewatch.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def site(seeds_warehouse, tmp_path_factory) -> Path:
    return write_dbt_docs(seeds_warehouse, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def dictionary(seeds_warehouse, site, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("docs") / "data_dictionary.md"
    write_dictionary(seeds_warehouse, out, site / "manifest.json")
    return out.read_text(encoding="utf-8")


def test_the_docs_site_has_lineage_models_and_tests(site):
    assert (site / "static_index.html").stat().st_size > 100_000  # opens from disk, data inside
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    parents = manifest["parent_map"]["model.strikewatch.strike_timeline"]
    assert parents == ["model.strikewatch.int_figure_estimates", "model.strikewatch.int_strikes"]
    tests = [n for n in manifest["nodes"] if n.startswith("test.strikewatch.")]
    assert "test.strikewatch.evidence_is_the_text_at_its_offsets" in tests
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    columns = catalog["nodes"]["model.strikewatch.support_by_poll"]["columns"]
    assert columns["does_not_add_up"]["comment"].startswith("Plausibility flag")


def test_every_relation_and_column_is_described(seeds_warehouse, dictionary):
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        columns = con.execute(
            "select schema_name, table_name, column_name, data_type, comment "
            "from duckdb_columns() where schema_name in ?",
            [SCHEMAS],
        ).fetchall()
    assert columns
    for schema, table, column, sql_type, comment in columns:
        assert f"### {schema}.{table}\n" in dictionary
        cell = " ".join(comment.split()).replace("|", "\\|")
        row = f"| `{column}` | `{sql_type}` | {cell} |"
        assert row in dictionary, row


def test_schemas_and_lineage_are_listed(dictionary):
    for schema in SCHEMAS:
        assert f"## Schema `{schema}`" in dictionary
    assert "```mermaid" in dictionary
    assert (
        'intermediate_int_figure_estimates["intermediate.int_figure_estimates"] --> '
        'marts_cancellations_by_date["marts.cancellations_by_date"]'
    ) in dictionary
    assert (
        "| `marts.strike_timeline` | `intermediate.int_figure_estimates`, "
        "`intermediate.int_strikes` |"
    ) in dictionary
    assert "Read by: `staging.stg_cancellations`" in dictionary  # under extracted.cancellations


def test_markdown_cells_are_escaped():
    relation = Relation("marts", "demo", "view", "A | B", [Column("x", "VARCHAR", "one | two\n")])
    text = render_dictionary([relation], {"marts.demo": ["staging.things"]})
    assert "| `x` | `VARCHAR` | one \\| two |" in text
    assert "Reads: `staging.things`" in text


def test_committed_dictionary_is_up_to_date(dictionary):
    assert DEFAULT_OUT == PROJECT_ROOT / "docs" / "data_dictionary.md"
    assert DEFAULT_OUT.read_text(encoding="utf-8") == dictionary, (
        "docs/data_dictionary.md is stale: run `strikewatch run && strikewatch docs`"
    )

"""The dbt project in sql/: generated sources in step with the pandera models, no network, no
artifacts in sql/, and identities decided in SQL."""

from __future__ import annotations

import duckdb
import yaml

from schemas.tables import FACT_TABLES, TABLES, model_columns
from strikewatch.dbt_sources import SOURCES_DOCS, SOURCES_YAML, render_docs, render_sources
from strikewatch.settings import SQL_DIR


def test_generated_sources_are_in_step_with_the_pandera_models():
    assert SOURCES_YAML.read_text(encoding="utf-8") == render_sources(), (
        "sql/models/staging/_sources.yml is stale: run `python -m strikewatch.dbt_sources`"
    )
    assert SOURCES_DOCS.read_text(encoding="utf-8") == render_docs(), (
        "sql/models/staging/_sources.md is stale: run `python -m strikewatch.dbt_sources`"
    )


def test_every_loaded_column_is_a_documented_source_column():
    sources = yaml.safe_load(SOURCES_YAML.read_text(encoding="utf-8"))["sources"]
    declared = {
        f"{source['schema']}.{table['name']}": [column["name"] for column in table["columns"]]
        for source in sources
        for table in source["tables"]
    }
    for name, model in TABLES.items():
        assert declared[name] == [column for column, _, _ in model_columns(model)], name
        for column, _, text in model_columns(model):
            assert text, f"{name}.{column} has no description in schemas/tables.py"


def test_every_loaded_tables_keys_enums_and_references_are_tested():
    sources = yaml.safe_load(SOURCES_YAML.read_text(encoding="utf-8"))["sources"]
    structure = {
        f"{source['schema']}.{table['name']}": table["data_tests"][0]["structure"]["arguments"]
        for source in sources
        for table in source["tables"]
        if "data_tests" in table
    }
    for name in FACT_TABLES:
        assert structure[name]["unique"] == structure[name]["not_null"] == ["fact_id"]
        assert structure[name]["relationships"] == {
            "article_id": "source('extracted', 'articles')",
            "post_id": "source('extracted', 'posts')",
        }
    assert structure["extracted.articles"]["relationships"] == {
        "document_id": "source('extracted', 'documents')"
    }
    assert structure["extracted.posts"]["relationships"] == {
        "article_id": "source('extracted', 'articles')"
    }
    assert structure["extracted.articles"]["accepted_values"]["format"] == ["live_blog", "article"]


def test_no_network_no_hub_packages():
    project = yaml.safe_load((SQL_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["flags"]["send_anonymous_usage_stats"] is False
    assert not (SQL_DIR / "packages.yml").exists()
    assert not (SQL_DIR / "dependencies.yml").exists()


def test_builds_leave_nothing_in_sql(seeds_warehouse):
    for artifacts in ("target", "logs", "dbt_packages"):
        assert not (SQL_DIR / artifacts).exists(), f"dbt wrote sql/{artifacts}"


def test_python_loads_no_poll_identity_and_sql_decides_it(seeds_warehouse):
    with duckdb.connect(str(seeds_warehouse), read_only=True) as con:
        loaded = {r[0] for r in con.execute("describe extracted.poll_results").fetchall()}
        polls = con.execute(
            "select poll_id, list(distinct publisher order by publisher), "
            "list(distinct commissioned_by order by commissioned_by) "
            "from intermediate.int_poll_answers group by poll_id order by poll_id"
        ).fetchall()
    assert "poll_id" not in loaded
    by_id = {poll_id: (publishers, sponsors) for poll_id, publishers, sponsors in polls}
    # "for the BBC" in one outlet and "for BBC News" in another: the same poll
    assert by_id["ipsos mori|bbc|2016-04"] == (["BBC News", "HuffPost UK"], ["BBC", "BBC News"])
    # no pollster named: told apart by who was asked and how many
    assert any(poll_id.startswith("doctors:") for poll_id in by_id)


def test_every_model_follows_the_layer_conventions():
    for path in sorted((SQL_DIR / "models").glob("*/*.sql")):
        sql = path.read_text(encoding="utf-8")
        layer = path.parent.name
        last = sql.rstrip().rsplit("\n\n", 1)[-1]
        assert last.startswith("select * from final"), path.name
        assert "SELECT" not in sql and "FROM" not in sql, f"{path.name}: lowercase keywords"
        if layer == "staging":
            assert sql.count("{{ source(") == 1 and "ref(" not in sql, path.name
        else:
            assert "{{ source(" not in sql, f"{path.name} reads a source; only staging may"

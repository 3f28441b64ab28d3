"""Structural data tests gate publishing: broken data publishes nothing, names the failing test
and shows its rows; plausibility tests only warn."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from builds import SEEDS, build, table_contents

import strikewatch.build
import strikewatch.cli
from strikewatch.build import (
    dbt_step,
    extract_step,
    load_step,
    plan_build,
    publish_step,
)
from strikewatch.warehouse import run_lock

# One extraction worker for every build of the module (conftest.py: shared_extraction_pool).
pytestmark = pytest.mark.usefixtures("shared_extraction_pool")


def _break_the_loaded_data(build_file: Path) -> str:
    """The breaks a faulty loader could make: the same poll answer loaded twice (its fact_id is
    returned), and cancellations with no fact_id, an unknown unit or an article that is missing.
    """
    with duckdb.connect(str(build_file)) as con:
        fact_id = con.execute("select min(fact_id) from extracted.poll_results").fetchone()[0]
        con.execute(
            "insert into extracted.poll_results select * from extracted.poll_results "
            "where fact_id = ?",
            [fact_id],
        )
        con.execute(
            "insert into extracted.cancellations "
            "select * replace (null as fact_id) from extracted.cancellations limit 1"
        )
        con.execute(
            "insert into extracted.cancellations select * replace "
            "(fact_id || '-copy' as fact_id, 'dozen' as unit, 'no-such-article' as article_id) "
            "from extracted.cancellations limit 1"
        )
    return fact_id


@pytest.fixture(scope="module")
def broken_build(seeds_warehouse, tmp_path_factory):
    """The steps of a seeds build, with the loaded data broken between load and dbt (one build
    for the module: its tests only read what it left)."""
    tmp_path = tmp_path_factory.mktemp("broken")
    warehouse = tmp_path / seeds_warehouse.name
    shutil.copy(seeds_warehouse, warehouse)
    for beside in (".cache", ".dbt-state"):
        kept = seeds_warehouse.with_name(f".{seeds_warehouse.name}{beside}")
        shutil.copytree(kept, tmp_path / kept.name)
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    (source / "new.txt").write_text("Strike news\n\nHospitals cancelled 70 operations.\n", "utf-8")
    before = warehouse.stat()
    with run_lock(warehouse):
        plan = plan_build(source, warehouse, source / "sources.csv")
        batch = extract_step(
            plan.source, plan.to_extract, plan.manifest, warehouse, plan.run_id, plan.batch_path(0)
        )
        load = load_step(plan, [batch])
        fact_id = _break_the_loaded_data(plan.build_file)
        outcome = dbt_step(plan)
        summary = publish_step(plan, load, outcome)
    return warehouse, before, fact_id, summary


def test_a_failing_structural_test_publishes_nothing(broken_build, seeds_warehouse):
    warehouse, before, fact_id, summary = broken_build
    assert not summary.published
    after = warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert table_contents(warehouse) == table_contents(seeds_warehouse)


def test_the_message_names_the_failing_test_and_shows_its_rows(broken_build):
    _, _, fact_id, summary = broken_build
    names = {failure.name for failure in summary.test_failures}
    assert "structure_extracted_poll_results" in names
    assert "structure_int_fact_mentions" in names  # the duplicate reaches the models too
    assert "data tests failed" in summary.problem
    assert "test structure_extracted_poll_results:" in summary.problem
    assert "failed_check | value | n_records" in summary.problem
    assert f"unique(fact_id) | {fact_id} | 2" in summary.problem  # the duplicated key, twice
    assert "poll_answers_do_not_add_up" not in summary.problem  # warnings never fail a build


def test_each_structural_check_names_itself_and_its_failing_rows(broken_build):
    _, _, _, summary = broken_build
    (cancellations,) = [
        failure
        for failure in summary.test_failures
        if failure.name == "structure_extracted_cancellations"
    ]
    assert set(cancellations.rows) == {
        ("not_null(fact_id)", None, 1),
        ("accepted_values(unit)", "dozen", 1),
        ("relationships(article_id -> articles.article_id)", "no-such-article", 1),
    }
    assert "accepted_values(unit) | dozen | 1" in summary.problem
    assert "structure_extracted_poll_results" in {f.name for f in summary.test_failures}


def test_the_command_exits_4_with_the_test_name(
    seeds_warehouse_copy, tmp_path, monkeypatch, capsys
):
    """`strikewatch run` on a build that breaks: status 4, the test named, nothing published.

    The builder stands in for the Prefect flow (tests/test_orchestration.py runs the real one).
    """
    warehouse = seeds_warehouse_copy
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    (source / "new.txt").write_text("Strike news\n\nHospitals cancelled 70 operations.\n", "utf-8")
    before = warehouse.read_bytes()
    real_load = strikewatch.build.load_step

    def load_then_break(plan, batch_paths):
        result = real_load(plan, batch_paths)
        with duckdb.connect(str(plan.build_file)) as con:
            con.execute("insert into extracted.articles select * from extracted.articles limit 1")
        return result

    def builder_instead_of_flow(args, settings, source, warehouse, manifest):
        return build(source, warehouse)

    monkeypatch.setattr(strikewatch.build, "load_step", load_then_break)
    monkeypatch.setattr(strikewatch.cli, "_run_flow", builder_instead_of_flow)
    status = strikewatch.cli.main(["run", "--source", str(source), "--warehouse", str(warehouse)])
    err = capsys.readouterr().err
    assert status == 4, err
    assert "nothing published: data tests failed" in err
    assert "structure_extracted_articles" in err
    assert "unique(article_id) |" in err  # and its failing rows
    assert warehouse.read_bytes() == before

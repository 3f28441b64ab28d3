"""Structural data tests gate publishing: broken data publishes nothing, names the failing test
and shows its rows; plausibility tests only warn."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from builds import SEEDS, table_contents

from strikewatch.build import (
    dbt_step,
    extract_step,
    load_step,
    plan_build,
    publish_step,
)
from strikewatch.warehouse import run_lock


def _duplicate_a_poll_answer(build_file: Path) -> str:
    """Load the same poll answer twice: the break a faulty loader could make. Its fact_id."""
    with duckdb.connect(str(build_file)) as con:
        fact_id = con.execute("select min(fact_id) from extracted.poll_results").fetchone()[0]
        con.execute(
            "insert into extracted.poll_results select * from extracted.poll_results "
            "where fact_id = ?",
            [fact_id],
        )
    return fact_id


@pytest.fixture
def broken_build(seeds_warehouse_copy, tmp_path):
    """The steps of a seeds build, with the loaded data broken between load and dbt."""
    warehouse = seeds_warehouse_copy
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    (source / "new.txt").write_text("Strike news\n\nHospitals cancelled 70 operations.\n", "utf-8")
    before = warehouse.stat()
    with run_lock(warehouse):
        plan = plan_build(source, warehouse, source / "sources.csv")
        batch = extract_step(plan, plan.to_extract, plan.batch_path(0))
        load = load_step(plan, [batch])
        fact_id = _duplicate_a_poll_answer(plan.build_file)
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
    assert "source_unique_extracted_poll_results_fact_id" in names
    assert "unique_int_fact_mentions_fact_id" in names  # the duplicate reaches the models too
    assert "data tests failed" in summary.problem
    assert "source_unique_extracted_poll_results_fact_id" in summary.problem
    assert fact_id in summary.problem  # the failing row: the duplicated key and its count
    assert "unique_field | n_records" in summary.problem
    assert "poll_answers_do_not_add_up" not in summary.problem  # warnings never fail a build


PATCHED_RUN = textwrap.dedent(
    """
    import sys
    import duckdb
    import strikewatch.build
    from strikewatch.cli import main

    real_load = strikewatch.build.load_step

    def load_then_break(plan, batch_paths):
        result = real_load(plan, batch_paths)
        with duckdb.connect(str(plan.build_file)) as con:
            con.execute("insert into extracted.articles select * from extracted.articles limit 1")
        return result

    strikewatch.build.load_step = load_then_break
    import flows.build_warehouse
    flows.build_warehouse.load_step = load_then_break
    sys.exit(main(sys.argv[1:]))
    """
)


def test_the_command_exits_4_with_the_test_name(prefect_server, seeds_warehouse_copy):
    warehouse = seeds_warehouse_copy
    before = warehouse.read_bytes()
    result = subprocess.run(
        [sys.executable, "-c", PATCHED_RUN, "run", "--force", "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ),
    )
    assert result.returncode == 4, result.stdout + result.stderr
    assert "nothing published: data tests failed" in result.stderr
    assert "source_unique_extracted_articles_article_id" in result.stderr
    assert "Traceback" not in result.stderr
    assert warehouse.read_bytes() == before

"""BI tools reach the warehouse the way Superset does: SQLAlchemy + duckdb-engine, read-only."""

from __future__ import annotations

import os
import shutil
import time
import warnings
from pathlib import Path

import duckdb
import pytest
from builds import SEEDS, finish_build, start_build_process
from sqlalchemy import create_engine, exc, inspect, text
from sqlalchemy.pool import NullPool

MARTS = [
    "attendance_by_day",
    "cancellations_by_date",
    "coverage_by_source",
    "figure_conflicts",
    "strike_timeline",
    "support_by_poll",
]


@pytest.fixture
def warehouse(seeds_warehouse_copy) -> Path:
    return seeds_warehouse_copy


def read_like_superset(path: Path) -> dict[str, object]:
    """Open read-only with SQLAlchemy, inspect schemas and comments, query every mart."""
    engine = create_engine(f"duckdb:///{path}", connect_args={"read_only": True})
    try:
        with warnings.catch_warnings():
            # duckdb-engine does not map DuckDB list types (source_files) to SQLAlchemy types
            warnings.filterwarnings("ignore", message="Did not recognize type")
            inspector = inspect(engine)
            schemas = inspector.get_schema_names()
            views = inspector.get_view_names(schema="marts")
            comments = {
                mart: {c["name"]: c.get("comment") for c in inspector.get_columns(mart, "marts")}
                for mart in MARTS
            }
            table_comment = inspector.get_table_comment("support_by_poll", schema="marts")
        with engine.connect() as connection:
            counts = {
                mart: connection.execute(text(f"select count(*) from marts.{mart}")).scalar_one()
                for mart in MARTS
            }
            loaded_comments = connection.execute(
                text(
                    "select count(*), count(column_comment) from information_schema.columns "
                    "where table_schema in ('extracted', 'intermediate')"
                )
            ).one()
    finally:
        engine.dispose()
    return {
        "schemas": schemas,
        "views": views,
        "comments": comments,
        "table_comment": table_comment,
        "counts": counts,
        "loaded_comments": tuple(loaded_comments),
    }


def check(seen: dict[str, object]) -> None:
    schemas = {name.split(".")[-1] for name in seen["schemas"]}
    assert {"extracted", "staging", "intermediate", "marts", "meta", "quarantine"} <= schemas
    assert set(MARTS) <= set(seen["views"])
    for mart, columns in seen["comments"].items():
        assert columns, mart
        blank = [name for name, comment in columns.items() if not comment]
        assert blank == [], f"{mart} columns without comment through the inspector: {blank}"
    assert "one row per distinct poll" in seen["table_comment"]["text"]
    assert all(count > 0 for count in seen["counts"].values()), seen["counts"]
    total, commented = seen["loaded_comments"]
    assert total == commented > 100


def test_superset_style_read_only_access(warehouse):
    check(read_like_superset(warehouse))


def test_marts_stay_queryable_while_a_run_publishes(warehouse, tmp_path):
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    (source / "new.txt").write_text("Strike news\n\nHospitals cancelled 70 operations.\n", "utf-8")
    run, lines = start_build_process(source, warehouse)
    reads_during_run = 0
    while True:
        running = run.is_alive()
        try:
            seen = read_like_superset(warehouse)
        except exc.DBAPIError as error:  # pragma: no cover - the failure this test is for
            pytest.fail(f"reading during a run failed: {error}")
        check(seen)
        if not running:
            break
        reads_during_run += 1
        time.sleep(1)  # leave the CPU to the run
    _, published, problem = finish_build(run, lines)
    assert published, problem
    assert reads_during_run >= 1
    check(read_like_superset(warehouse))  # the newly published warehouse reads the same way


def publish_one_more_run(warehouse: Path, scratch: Path) -> None:
    """Replace the warehouse as a run does: a new file, renamed over the old one."""
    newer = scratch / "newer.duckdb"
    shutil.copy(warehouse, newer)
    with duckdb.connect(str(newer)) as con:
        con.execute("insert into meta.runs (run_id) values (uuid()::varchar)")
    os.replace(newer, warehouse)


def test_a_pooled_connection_keeps_its_snapshot_until_it_reconnects(warehouse, tmp_path):
    """docs/bi.md: after a publish, a pooled connection still reads the warehouse it opened,
    until the pool is disposed; with NullPool every checkout opens the file anew."""
    url, args = f"duckdb:///{warehouse}", {"read_only": True}
    runs = text("select count(*) from meta.runs")
    pooled = create_engine(url, connect_args=args)
    try:
        with pooled.connect() as connection:
            before = connection.execute(runs).scalar_one()
        publish_one_more_run(warehouse, tmp_path)
        with pooled.connect() as connection:
            assert connection.execute(runs).scalar_one() == before  # the old snapshot
    finally:
        pooled.dispose()  # closes the pooled connection: the next one opens the new file
    fresh = create_engine(url, connect_args=args, poolclass=NullPool)
    try:
        with fresh.connect() as connection:
            assert connection.execute(runs).scalar_one() == before + 1
        publish_one_more_run(warehouse, tmp_path)
        with fresh.connect() as connection:
            assert connection.execute(runs).scalar_one() == before + 2
    finally:
        fresh.dispose()

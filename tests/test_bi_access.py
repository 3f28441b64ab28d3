"""BI tools reach the warehouse the way Superset does: SQLAlchemy + duckdb-engine, read-only."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from sqlalchemy import create_engine, exc, inspect, text

MARTS = [
    "attendance_by_day",
    "cancellations_by_date",
    "coverage_by_source",
    "figure_conflicts",
    "strike_timeline",
    "support_by_poll",
]


pytestmark = pytest.mark.usefixtures("shared_prefect_server")


def run_cli(*args: str) -> subprocess.Popen[str]:
    # Prefect gives its ephemeral API server 20 s to start; a loaded test machine can need more.
    env = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120", **os.environ}
    return subprocess.Popen(
        [sys.executable, "-m", "strikewatch.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


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
            core_comments = connection.execute(
                text(
                    "select count(*), count(column_comment) from information_schema.columns "
                    "where table_schema = 'core'"
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
        "core_comments": tuple(core_comments),
    }


def check(seen: dict[str, object]) -> None:
    schemas = {name.split(".")[-1] for name in seen["schemas"]}
    assert {"raw", "core", "staging", "marts", "meta", "quarantine"} <= schemas
    assert set(MARTS) <= set(seen["views"])
    for mart, columns in seen["comments"].items():
        assert columns, mart
        blank = [name for name, comment in columns.items() if not comment]
        assert blank == [], f"{mart} columns without comment through the inspector: {blank}"
    assert "one row per distinct poll" in seen["table_comment"]["text"]
    assert all(count > 0 for count in seen["counts"].values()), seen["counts"]
    total, commented = seen["core_comments"]
    assert total == commented


def test_superset_style_read_only_access(warehouse):
    check(read_like_superset(warehouse))


def test_marts_stay_queryable_while_a_run_publishes(warehouse):
    run = run_cli("run", "--quiet", "--force", "--warehouse", str(warehouse))
    reads_during_run = 0
    try:
        while True:
            running = run.poll() is None
            try:
                seen = read_like_superset(warehouse)
            except exc.DBAPIError as error:  # pragma: no cover - the failure this test is for
                pytest.fail(f"reading during a run failed: {error}")
            check(seen)
            if not running:
                break
            reads_during_run += 1
            time.sleep(0.5)  # leave the CPU to the run: Prefect's start-up has its own timeout
    finally:
        out, err = run.communicate(timeout=600)
    assert run.returncode == 0, out + err
    assert reads_during_run >= 1
    check(read_like_superset(warehouse))  # the newly published warehouse reads the same way

"""Extraction on a local Dask cluster of process workers builds the default run's warehouse."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from strikewatch.scale import dask_task_runner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
COMPARED_SCHEMAS = ("raw", "core", "quarantine", "meta")
PER_RUN_TABLES = {"meta.runs"}  # timings and run ids only


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd="/",
        env=env,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seeds, their manifest, and a file that must be quarantined."""
    source = tmp_path_factory.mktemp("articles")
    for path in SEEDS.iterdir():
        shutil.copy(path, source / path.name)
    (source / "notes").mkdir()
    (source / "notes" / "blank.txt").write_text("   \n\n")
    return source


@pytest.fixture(scope="module")
def default_run(corpus, tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("default") / "strikewatch.duckdb"
    result = run_cli("run", "--source", str(corpus), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


@pytest.fixture(scope="module")
def dask_run(corpus, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    warehouse = tmp_path_factory.mktemp("dask") / "strikewatch.duckdb"
    env = {**os.environ, "DASK_LOGGING__DISTRIBUTED": "info"}  # shows the workers starting
    result = run_cli(
        "run",
        "--source",
        str(corpus),
        "--warehouse",
        str(warehouse),
        "--dask-workers",
        "2",
        "--batch-size",
        "2",  # six files: three extraction tasks shared by the two workers
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse, result


def table_contents(warehouse: Path) -> dict[str, list[tuple]]:
    """Every loaded table's rows, sorted, without run ids."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ? order by 1",
            [list(COMPARED_SCHEMAS)],
        ).fetchall()
        contents = {}
        for (table,) in tables:
            if table in PER_RUN_TABLES:
                continue
            columns = [
                row[0] for row in con.execute(f"describe {table}").fetchall() if row[0] != "run_id"
            ]
            select = ", ".join(f'"{column}"' for column in columns)
            contents[table] = con.execute(f"select {select} from {table} order by all").fetchall()
    return contents


def test_dask_run_used_two_process_workers(dask_run):
    _, result = dask_run
    log = result.stdout + result.stderr
    assert log.count("Start Nanny at") == 2  # a nanny per worker process
    assert "Traceback" not in log
    assert "Files: 6 seen, 5 new" in result.stdout


def test_dask_warehouse_equals_the_default_one(default_run, dask_run):
    dask_warehouse, _ = dask_run
    expected = table_contents(default_run)
    got = table_contents(dask_warehouse)
    assert set(got) == set(expected)
    for table, rows in expected.items():
        assert got[table] == rows, table
    # the comparison is not vacuous: facts and a quarantined file are in both
    assert len(expected["core.articles"]) == 5
    assert len(expected["core.quotes"]) > 20
    assert [row[0] for row in expected["quarantine.rejected_files"]] == ["notes/blank.txt"]


def test_dask_runner_needs_an_address_or_workers():
    with pytest.raises(ValueError):
        dask_task_runner(None, None)
    with pytest.raises(ValueError):
        dask_task_runner(None, 0)

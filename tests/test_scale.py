"""Extraction on a local Dask cluster of process workers builds the default run's warehouse."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from builds import SEEDS, build, run_cli, table_contents

from strikewatch.scale import dask_task_runner

COMPARED_SCHEMAS = ("extracted", "quarantine", "meta", "intermediate", "marts")


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
    summary = build(corpus, warehouse)
    assert summary.published, summary.problem
    return warehouse


@pytest.fixture(scope="module")
def dask_run(
    prefect_server, corpus, tmp_path_factory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
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


def test_dask_run_used_two_process_workers(dask_run):
    _, result = dask_run
    log = result.stdout + result.stderr
    assert log.count("Start Nanny at") == 2  # a nanny per worker process
    assert "Traceback" not in log
    assert "Files: 6 seen, 5 new" in result.stdout


def test_dask_warehouse_equals_the_default_one(default_run, dask_run):
    dask_warehouse, _ = dask_run
    expected = table_contents(default_run, COMPARED_SCHEMAS)
    got = table_contents(dask_warehouse, COMPARED_SCHEMAS)
    assert set(got) == set(expected)
    for table, rows in expected.items():
        assert got[table] == rows, table
    # the comparison is not vacuous: facts and a quarantined file are in both
    assert len(expected["extracted.articles"]) == 5
    assert len(expected["extracted.quotes"]) > 20
    assert len(expected["marts.strike_timeline"]) > 3
    assert [row[0] for row in expected["quarantine.rejected_files"]] == ["notes/blank.txt"]


def test_dask_runner_needs_an_address_or_workers():
    with pytest.raises(ValueError):
        dask_task_runner(None, None)
    with pytest.raises(ValueError):
        dask_task_runner(None, 0)

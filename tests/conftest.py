"""Shared fixtures: the seeds warehouse, built once per test process by the builder.

Integration tests run the builder (strikewatch.build) in process, without Prefect; only
tests/test_orchestration.py starts a Prefect server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builds import SEEDS, build
from prefect_servers import prefect_server  # noqa: F401  (a fixture for every module)


@pytest.fixture(scope="session")
def seeds_warehouse(tmp_path_factory) -> Path:
    """The seeds built into a fresh warehouse by the builder; open it read-only, or copy it."""
    warehouse = tmp_path_factory.mktemp("seeds") / "strikewatch.duckdb"
    summary = build(SEEDS, warehouse)
    assert summary.published, summary.problem
    return warehouse


@pytest.fixture
def seeds_warehouse_copy(seeds_warehouse, tmp_path) -> Path:
    """A private copy of the seeds warehouse, with its extraction cache and dbt state."""
    copy = tmp_path / seeds_warehouse.name
    shutil.copy(seeds_warehouse, copy)
    for beside in (".cache", ".dbt-state"):
        kept = seeds_warehouse.with_name(f".{seeds_warehouse.name}{beside}")
        if kept.exists():
            shutil.copytree(kept, tmp_path / kept.name)
    return copy

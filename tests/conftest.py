"""Shared fixtures: one seeds warehouse per test session, built by the real CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`strikewatch run` over seeds/ into a fresh warehouse, and what it printed."""
    warehouse = tmp_path_factory.mktemp("seeds") / "strikewatch.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", "run", "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd="/",  # paths must not depend on the current directory
    )
    return warehouse, result


@pytest.fixture(scope="session")
def seeds_warehouse(seeds_run) -> Path:
    """The published seeds warehouse; open it read-only, or copy it to change it."""
    warehouse, result = seeds_run
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


@pytest.fixture
def seeds_warehouse_copy(seeds_warehouse, tmp_path) -> Path:
    """A private copy of the seeds warehouse, with its extraction cache."""
    copy = tmp_path / seeds_warehouse.name
    shutil.copy(seeds_warehouse, copy)
    cache = seeds_warehouse.with_name(f".{seeds_warehouse.name}.cache")
    if cache.exists():
        shutil.copytree(cache, tmp_path / cache.name)
    return copy

"""Shared fixtures: the seeds warehouse, built once per test process by the builder; the
session's Prefect server; and the order in which xdist hands out the test files.

Integration tests run the builder (strikewatch.build) in process, without Prefect; only the
tests of Prefect itself and of `strikewatch run` as a user types it use the Prefect server.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from prefect_servers import (  # noqa: F401  (fixtures for every module)
    SHARED_DIR_VARIABLE,
    prefect_server,
    shared_prefect_server,
    stop_shared_server,
)

from strikewatch.build import build_warehouse, print_progress

# The slowest test files, slowest first (measured with --durations; see `make test`). xdist
# (--dist loadfile --no-loadscope-reorder) hands files out in collection order, one at a time to
# whichever worker is free: starting with the longest ones makes the workers finish together.
SLOWEST_FIRST = [
    "test_guards.py",
    "test_guards_data.py",
    "test_orchestration.py",
    "test_reliability.py",
    "test_run_cost.py",
    "test_report_scale.py",
    "test_incremental.py",
    "test_run.py",
    "test_old_readers.py",
    "test_marts.py",
    "test_publish_gate.py",
    "test_bi_access.py",
    "test_report.py",
    "test_dictionary.py",
]


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the session's main process: workers inherit it
        os.environ[SHARED_DIR_VARIABLE] = tempfile.mkdtemp(prefix="strikewatch-tests-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and SHARED_DIR_VARIABLE in os.environ:
        shared = Path(os.environ.pop(SHARED_DIR_VARIABLE))
        stop_shared_server(shared)
        shutil.rmtree(shared, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)

    items.sort(key=rank)  # stable: a file's tests keep their order


@dataclass
class SeedsRun:
    """`strikewatch run` over seeds/ into a fresh warehouse: what it printed and returned."""

    warehouse: Path
    status: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory) -> SeedsRun:
    """`strikewatch run` over seeds/ (its default source), in this process, the builder standing
    in for the Prefect flow (tests/test_orchestration.py runs the command through Prefect)."""
    import strikewatch.cli

    def builder_instead_of_flow(args, settings, source, warehouse, manifest):
        manifest = manifest or strikewatch.cli._default_manifest(source)  # as _run_flow does
        return build_warehouse(source, warehouse, manifest, progress=print_progress)

    warehouse = tmp_path_factory.mktemp("seeds") / "strikewatch.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(strikewatch.cli, "_run_flow", builder_instead_of_flow)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = strikewatch.cli.main(["run", "--warehouse", str(warehouse)])
    return SeedsRun(warehouse, status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def seeds_warehouse(seeds_run) -> Path:
    """The seeds built into a fresh warehouse by the builder; open it read-only, or copy it."""
    assert seeds_run.status == 0, seeds_run.stdout + seeds_run.stderr
    return seeds_run.warehouse


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

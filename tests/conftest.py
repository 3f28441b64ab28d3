"""Shared fixtures: the seeds warehouse, built once per test session by the builder; the
session's Prefect server; and the order in which xdist hands out the test files.

Integration tests run the builder (strikewatch.build) in process, without Prefect; only the
tests of Prefect itself and of `strikewatch run` as a user types it use the Prefect server.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from builds import run_command_with_builder
from prefect_servers import (  # noqa: F401  (fixtures for every module)
    SHARED_DIR_VARIABLE,
    prefect_server,
    shared_prefect_server,
    start_shared_server,
    stop_shared_server,
)

from strikewatch.extract_batch import extraction_pool

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


# The test files that use the session's Prefect server (the prefect_server fixture).
USE_THE_PREFECT_SERVER = ("test_guards.py", "test_orchestration.py")


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the session's main process: workers inherit it
        os.environ[SHARED_DIR_VARIABLE] = tempfile.mkdtemp(prefix="strikewatch-tests-")
        if config.getoption("numprocesses", None) and _runs_a_file_using_prefect(config):
            start_shared_server()  # while the workers start and run their first tests


def _runs_a_file_using_prefect(config: pytest.Config) -> bool:
    tests = Path(__file__).resolve().parent
    for arg in config.args or [str(tests)]:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path == tests or path in tests.parents or path.name in USE_THE_PREFECT_SERVER:
            return True
    return False


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
def seeds_run() -> SeedsRun:
    """`strikewatch run` over seeds/ (its default source), in this process, the builder standing
    in for the Prefect flow (tests/test_orchestration.py runs the command through Prefect).

    Built once per session: the first xdist worker that asks builds it in the session's shared
    folder (holding a lock meanwhile), the others read what it recorded. Tests only read it."""
    folder = Path(os.environ[SHARED_DIR_VARIABLE]) / "seeds"
    folder.mkdir(exist_ok=True)
    record = folder / "run.json"
    with open(folder / "lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if record.exists():
            recorded = json.loads(record.read_text())
            return SeedsRun(**{**recorded, "warehouse": Path(recorded["warehouse"])})
        warehouse = folder / "strikewatch.duckdb"
        result = run_command_with_builder("run", "--warehouse", str(warehouse))
        run = SeedsRun(warehouse, result.status, result.stdout, result.stderr)
        record.write_text(json.dumps({**asdict(run), "warehouse": str(warehouse)}))
        return run


@pytest.fixture(scope="module")
def shared_extraction_pool() -> Iterator[None]:
    """One extraction worker for every batch the module's tests extract, as a build keeps one
    for all its batches; without it each process_batch starts (about 3 s) and stops its own.
    Not for modules that fork builds: a forked child would share the parent's worker."""
    with extraction_pool(1):
        yield


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

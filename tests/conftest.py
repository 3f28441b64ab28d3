"""Shared fixtures: the seeds warehouse, built once in this process, and one Prefect server.

Integration tests run the builder (strikewatch.build) in process, without Prefect. Only the
tests of orchestration and of the `strikewatch run` command itself need Prefect; they share one
local server, started once per session on first use.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from builds import SEEDS, build

STARTUP_SECONDS = 120  # a first start migrates the database; slow on a busy 2-core machine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One local Prefect server with its scheduler, on 127.0.0.1; yields its API URL.

    Sets PREFECT_API_URL for the session, so CLI runs under test use it instead of starting a
    temporary server each.
    """
    home = tmp_path_factory.mktemp("prefect-server")
    url = f"http://127.0.0.1:{_free_port()}/api"
    port = url.rsplit(":", 1)[1].split("/")[0]
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    }
    with open(home / "server.log", "w") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host",
             "127.0.0.1", "--port", port, "--analytics-off", "--no-ui"],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.poll() is None and not _healthy(url):
        time.sleep(0.5)
    if not _healthy(url):
        _stop(server)
        pytest.fail(f"the Prefect server did not start: see {home / 'server.log'}")
    os.environ["PREFECT_API_URL"] = url
    try:
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _stop(server)


def _stop(process: subprocess.Popen) -> None:
    """Stop a process a fixture started, and its children (own session, so own group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


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

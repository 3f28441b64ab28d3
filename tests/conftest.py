"""Shared fixtures: one Prefect API server and one seeds warehouse per test session."""

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
def shared_prefect_server(tmp_path_factory):
    """Start one local Prefect API server so CLI runs under test skip its ~7 s start-up.

    Without it every `strikewatch run` starts Prefect's own temporary server. If the shared
    server does not come up, the tests fall back to that, only slower. Modules that run the
    CLI many times ask for it with `pytestmark = pytest.mark.usefixtures(...)`.
    """
    if os.environ.get("PREFECT_API_URL"):
        yield None
        return
    home = tmp_path_factory.mktemp("prefect-server")
    url = f"http://127.0.0.1:{_free_port()}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    }
    port = url.rsplit(":", 1)[1].split("/")[0]
    with open(home / "server.log", "w") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host",
             "127.0.0.1", "--port", port, "--no-services", "--no-ui"],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None and not _healthy(url):
        time.sleep(0.5)
    if _healthy(url):
        os.environ["PREFECT_API_URL"] = url
    try:
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`strikewatch run` over seeds/ into a fresh warehouse, and what it printed."""
    warehouse = tmp_path_factory.mktemp("seeds") / "strikewatch.duckdb"
    as_a_user_runs_it = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", "run", "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd="/",  # paths must not depend on the current directory
        env=as_a_user_runs_it,
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

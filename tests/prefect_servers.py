"""A real Prefect API server for the tests that need one (orchestration, and runs of the
`strikewatch` command that should not pay for a temporary server each).

One server serves the whole test session, whatever the number of xdist workers. Under xdist the
session's main process starts it before the workers start (`start_shared_server`, from
conftest.py), so that its start-up (Prefect's database migrations: half a minute on a busy
2-core machine) overlaps the first tests instead of holding up the worker that needs it;
otherwise the first test that needs it starts it (a lock file makes other workers wait and reuse
it). The session's main process stops it at the end (`stop_shared_server`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 120  # a first start migrates the database; slow on a busy 2-core machine
SHARED_DIR_VARIABLE = "STRIKEWATCH_TEST_SHARED_DIR"  # set by conftest.py for every worker


def _wait_until(
    check, timeout: float, what: str, process: subprocess.Popen | None = None, pid: int = 0
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: process exited with {process.returncode}")
        if pid and not alive(pid):
            raise AssertionError(f"{what}: process {pid} has exited")
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(process: subprocess.Popen) -> None:
    """Stop a process this module started, and its children (own session, so own group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


# Services the tests here do not use: off, so that the server idles between requests.
IDLE_SERVICES = (
    "CANCELLATION_CLEANUP", "EVENT_LOGGER", "FOREMAN", "LATE_RUNS", "PAUSE_EXPIRATIONS",
    "REPOSSESSOR", "CLEANUP_RECONCILER", "TRIGGERS",
)  # fmt: skip


def _launch_server(home: Path) -> tuple[subprocess.Popen, str]:
    """A Prefect server with its scheduler on a free 127.0.0.1 port, in a session of its own
    (so that it outlives the worker that started it); (process, API URL), not yet answering."""
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        **{f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in IDLE_SERVICES},
    }
    with (home / "server.log").open("w") as log:
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/prefect"), "server", "start", "--host", "127.0.0.1"]
            + ["--port", str(port), "--analytics-off", "--no-ui"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return server, f"http://127.0.0.1:{port}/api"


def _start_server(home: Path) -> tuple[subprocess.Popen, str]:
    """A Prefect server as _launch_server starts it; (process, API URL) once it answers."""
    server, api_url = _launch_server(home)
    try:
        _wait_until(lambda: _healthy(api_url), STARTUP_SECONDS, "the Prefect server", server)
    except BaseException:
        _stop(server)
        raise
    return server, api_url


def _server_folder() -> Path:
    shared = os.environ.get(SHARED_DIR_VARIABLE)
    assert shared, f"{SHARED_DIR_VARIABLE} is not set: tests/conftest.py sets it"
    folder = Path(shared) / "prefect-server"
    folder.mkdir(exist_ok=True)
    return folder


_started: list[subprocess.Popen] = []  # the server, in the process that started it


def start_shared_server() -> None:
    """Start the session's server without waiting for it to answer (the fixture waits)."""
    folder = _server_folder()
    home = folder / "home"
    home.mkdir()
    server, api_url = _launch_server(home)
    _started.append(server)
    (folder / "server.json").write_text(json.dumps({"pid": server.pid, "api_url": api_url}))


@pytest.fixture(scope="session")
def shared_prefect_server() -> str:
    """The session's Prefect server: started by the main process (under xdist) or by the first
    worker that asks, reused by the others; its API URL once it answers."""
    folder = _server_folder()
    with open(folder / "lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a worker starting the server holds it until it answers
        record = folder / "server.json"
        if record.exists():  # started by the main process or by another worker
            started = json.loads(record.read_text())
            api_url = started["api_url"]
            what = f"the session's Prefect server at {api_url}"
            _wait_until(lambda: _healthy(api_url), STARTUP_SECONDS, what, pid=started["pid"])
            return api_url
        home = folder / "home"
        home.mkdir()
        server, api_url = _start_server(home)
        _started.append(server)
        record.write_text(json.dumps({"pid": server.pid, "api_url": api_url}))
        return api_url


def migrated_prefect_home(shared_prefect_server: str, home: Path) -> Path:
    """A new Prefect home holding a copy of the session server's database, which is migrated:
    a temporary server started on it answers in seconds (on a fresh home, migrations take a
    minute on a busy machine). Needs the shared_prefect_server fixture's URL, so that it runs."""
    assert _healthy(shared_prefect_server)
    home.mkdir(parents=True)
    database = _server_folder() / "home" / "prefect.db"
    with (
        contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as source,
        contextlib.closing(sqlite3.connect(home / "prefect.db")) as copy,
    ):
        source.backup(copy)  # consistent while the server writes
    return home


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def stop_shared_server(shared_dir: Path) -> None:
    """Stop the session's Prefect server, if a test started one (its own process group)."""
    if _started:  # started by this very process (a run without xdist): stop and reap it
        _stop(_started.pop())
        return
    record = shared_dir / "prefect-server" / "server.json"
    if not record.exists():
        return
    pid = json.loads(record.read_text())["pid"]
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if alive(pid):
            os.killpg(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def prefect_server(shared_prefect_server) -> Iterator[str]:
    """The session's Prefect server; yields the API URL.

    Sets PREFECT_API_URL while the module runs, so `strikewatch run` under test uses it instead
    of starting a temporary server.
    """
    os.environ["PREFECT_API_URL"] = shared_prefect_server
    try:
        yield shared_prefect_server
    finally:
        os.environ.pop("PREFECT_API_URL", None)

"""A temporary Prefect API server that never outlives the run that started it.

With no PREFECT_API_URL, Prefect 3.8.8 starts its own temporary server on first use
(`prefect.server.api.server.SubprocessASGIServer`): a plain child process, in the run's process
group, on the run's stdout and stderr, stopped by an `atexit` hook. A run ended by SIGTERM or
`kill -9` never runs that hook, so the server (uvicorn, ~220 MB) stays behind, holding the
terminal's or the caller's pipes; and Ctrl-C reaches it at the same moment as the run, so it
dies under the run while the run is still reporting to it.

`temporary_server` starts the same server itself, before Prefect would, and points Prefect at it:
- in a session of its own, so the terminal's Ctrl-C goes to the run alone, which then stops
  the server once it has finished with it;
- with a parent-death signal (Linux `prctl(PR_SET_PDEATHSIG)`), so the kernel kills the server
  the moment the run dies, whatever killed it;
- with its output in `PREFECT_HOME/temporary-server.log`, never on the run's pipes;
- with nothing a single run does not use: no UI, no block registration, no automations
  (triggers and their actions), and no migration check of a database already migrated by this
  Prefect version (`_migrate_before_serving`).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PR_SET_PDEATHSIG = 1
LOG_NAME = "temporary-server.log"
MIGRATED_SUFFIX = ".migrated"  # beside a SQLite database: the Prefect version that migrated it
PORT_ATTEMPTS = 3
_RUNNING: list[subprocess.Popen[bytes]] = []  # servers this process started and has not stopped


class ServerDidNotStart(RuntimeError):
    """The temporary Prefect server did not answer in time, or exited at start-up."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, timeout: float = 2) -> bool:
    """True when the Prefect API at `url` answers its health check."""
    return _healthy(url, timeout)


def _healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def _settings_in_effect() -> dict[str, str]:
    """Prefect settings set in this process (temporary settings included) as variables; none
    when Prefect is not imported yet: the server then reads the same environment and profile."""
    if "prefect.settings" not in sys.modules:
        return {}
    from prefect.settings import get_current_settings

    return get_current_settings().to_environment_variables(exclude_unset=True)


def _start(port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **_settings_in_effect()}
    env["PREFECT_UI_ENABLED"] = "0"
    # a run uses no blocks: registering them imports every installed Prefect collection first
    env["PREFECT_API_BLOCKS_REGISTER_ON_START"] = "false"
    env["PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION"] = "false"
    # automations (reactive and proactive triggers, their actions): none fires during one run
    env["PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED"] = "false"
    with open(log, "ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "strikewatch.prefect_server", str(port), str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started; wait for it."""
    if server in _RUNNING:
        _RUNNING.remove(server)
    if server.poll() is None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    server.wait()


def stop_all() -> None:
    """Stop every server this process started (when a run ends without unwinding)."""
    for server in list(_RUNNING):
        stop(server)


class TemporaryServer:
    """A server being started: `ready()` waits for it to answer and returns its API URL.

    Started first and waited for last, its start-up overlaps whatever the run does meanwhile
    (importing Prefect's client, the flow and the build's libraries).
    """

    def __init__(self, home: Path, startup_timeout: float) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.log = home / LOG_NAME
        self.log.write_bytes(b"")
        self.timeout = startup_timeout
        self.server: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.attempts = 0
        self._launch()

    def _launch(self) -> None:
        self.attempts += 1
        self.url = f"http://127.0.0.1:{(port := _free_port())}/api"
        self.server = _start(port, self.log)
        _RUNNING.append(self.server)
        self.deadline = time.monotonic() + self.timeout

    def ready(self) -> str:
        """The API URL once the server answers; ServerDidNotStart when it does not in time."""
        server = self.server
        while server is not None:
            while server.poll() is None and time.monotonic() < self.deadline:
                if _healthy(self.url):
                    return self.url
                time.sleep(0.05)
            if server.poll() is None or self.attempts >= PORT_ATTEMPTS:
                break  # out of time, or out of attempts
            stop(server)  # exited at start-up (its port taken meanwhile, say): another port
            self._launch()
            server = self.server
        last = self.log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise ServerDidNotStart(
            f"the temporary Prefect server did not start within {self.timeout:.0f} s "
            f"({last[0][:200]}; see {self.log})"
        )

    def stop(self) -> None:
        if self.server is not None:
            stop(self.server)


@contextmanager
def temporary_server(home: Path, startup_timeout: float) -> Iterator[TemporaryServer]:
    """Start a Prefect API server for the duration of the block (`.ready()` gives its URL)."""
    server = TemporaryServer(home, startup_timeout)
    try:
        yield server
    finally:
        server.stop()


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies; exit if it already has."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        sys.exit(f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(ctypes.get_errno())}")
    if os.getppid() != parent:  # the parent died before the signal was armed
        sys.exit(0)


def _sqlite_database(connection_url: str) -> Path | None:
    """The file of a SQLite database URL (`sqlite+aiosqlite:////abs/prefect.db`); None for any
    other database, or one in memory."""
    prefix = "sqlite+aiosqlite:///"
    if not connection_url.startswith(prefix) or ":memory:" in connection_url:
        return None
    return Path(connection_url[len(prefix) :].split("?", 1)[0])


def _revision(database: Path) -> str | None:
    """The Alembic revision a SQLite database records, read-only; None when there is none."""
    if not database.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as con:
            rows = con.execute("select version_num from alembic_version").fetchall()
    except sqlite3.Error:
        return None
    return rows[0][0] if len(rows) == 1 else None


def _stamp(database: Path, prefect_version: str, revision: str | None) -> dict[str, str | None]:
    return {"prefect": prefect_version, "database": str(database), "revision": revision}


def _migrate_before_serving() -> bool:
    """Bring the server's database up to date now, unless it is known to be; False when the
    server need not check its migrations at start-up.

    Prefect's server runs Alembic at every start (a few tenths of a second of imports and
    checks). A SQLite database this Prefect version has migrated is stamped (a file beside it,
    naming the version and the revision it left); while the database still records that
    revision, it is current. Another database (PostgreSQL), or migrations turned off in the
    settings, is left to Prefect's own start-up.
    """
    import prefect
    from prefect.settings import PREFECT_API_DATABASE_MIGRATE_ON_START, get_current_settings

    if not PREFECT_API_DATABASE_MIGRATE_ON_START.value():
        return False
    url = get_current_settings().server.database.connection_url
    database = _sqlite_database(url.get_secret_value() if url else "")
    if database is None:
        return True
    stamp = Path(f"{database}{MIGRATED_SUFFIX}")
    revision = _revision(database)
    with contextlib.suppress(OSError, ValueError):
        if revision and json.loads(stamp.read_text()) == _stamp(
            database, prefect.__version__, revision
        ):
            return False
    import asyncio

    from prefect.server.database import provide_database_interface

    asyncio.run(provide_database_interface().create_db())
    with contextlib.suppress(OSError):
        stamp.write_text(json.dumps(_stamp(database, prefect.__version__, _revision(database))))
    return False


def _serve(port: int, parent: int) -> None:
    _die_with_parent(parent)
    import uvicorn
    from prefect.server.api.server import create_app
    from prefect.settings import PREFECT_API_DATABASE_MIGRATE_ON_START, temporary_settings

    migrate_on_start = _migrate_before_serving()
    with temporary_settings(updates={PREFECT_API_DATABASE_MIGRATE_ON_START: migrate_on_start}):
        app = create_app(ephemeral=True, final=True)
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", lifespan="on")


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]))

"""Every setting and argument checked before any work starts, each failure one plain line.

The CLI calls these before Prefect starts: a bad value is answered in a second with exit 2 (3
when another process holds the warehouse), not after a build, a traceback or a two-minute wait.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from strikewatch.settings import PROJECT_ROOT, Settings, SettingsError
from strikewatch.warehouse import storage_version_problem, warehouse_problem


class Refusal(Exception):
    """An input strikewatch will not work with: one line for the user, and the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def whole_number(minimum: int):
    """An argparse type: a whole number of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < minimum:
            raise argparse.ArgumentTypeError(
                f"must be a whole number of at least {minimum}, not {text!r}"
            )
        return number

    parse.__name__ = f"whole number of at least {minimum}"
    return parse


def settings() -> Settings:
    """The settings from STRIKEWATCH_* variables, or a Refusal naming the bad one."""
    try:
        settings = Settings()
    except SettingsError as exc:
        raise Refusal(str(exc)) from None
    problem = storage_version_problem(settings.storage_version)
    if problem:
        raise Refusal(problem)
    return settings


def source_folder(path: Path) -> Path:
    """The source folder, resolved; it must exist and be a folder."""
    resolved = path.expanduser().resolve()
    if not resolved.exists():
        raise Refusal(f"source folder {resolved} does not exist")
    if not resolved.is_dir():
        raise Refusal(f"source {resolved} is a file, not a folder: give the folder of articles")
    return resolved


def manifest_file(path: Path | None) -> Path | None:
    """A manifest named with --manifest, resolved; it must be an existing file."""
    if path is None:
        return None
    resolved = path.expanduser().resolve()
    if not resolved.exists():
        raise Refusal(f"manifest {resolved} does not exist")
    if not resolved.is_file():
        raise Refusal(f"manifest {resolved} is not a file")
    return resolved


def warehouse_for_writing(path: Path) -> Path:
    """The warehouse a run will publish: a new path, or an existing strikewatch warehouse."""
    resolved = path.expanduser().resolve()
    problem = warehouse_problem(resolved, for_writing=True)
    if problem:
        raise Refusal(problem.message, problem.status)
    return resolved


def warehouse_for_reading(path: Path) -> Path:
    """The warehouse a report, export, docs or eval reads: an existing strikewatch warehouse."""
    resolved = path.expanduser().resolve()
    problem = warehouse_problem(resolved, for_writing=False)
    if problem:
        raise Refusal(problem.message, problem.status)
    return resolved


def readable_file(path: Path, what: str) -> Path:
    """An input file such as the gold file: it must exist and be a regular file."""
    resolved = path.expanduser().resolve()
    if not resolved.exists():
        raise Refusal(f"{what} {resolved} does not exist")
    if not resolved.is_file():
        raise Refusal(f"{what} {resolved} is not a file")
    if not os.access(resolved, os.R_OK):
        raise Refusal(f"{what} {resolved} cannot be read: permission denied")
    return resolved


def prefect_home(home: Path) -> Path:
    """Prefect's home folder: it must be, or become, a folder this process can write.

    Prefect's temporary server keeps its database there; when it cannot, Prefect spins for its
    whole start-up timeout before it fails, so this is checked first.
    """
    try:
        home.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(prefix=".strikewatch-probe-", dir=home)
        os.close(descriptor)
        os.unlink(probe)
        database = home / "prefect.db"
        if database.exists():
            os.close(os.open(database, os.O_RDWR))
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else type(exc).__name__
        raise Refusal(
            f"Prefect home {home} cannot be written ({reason}); set STRIKEWATCH_PREFECT_HOME "
            "or PREFECT_HOME to a folder you can write"
        ) from None
    return home


def schedule(cron: str, timezone: str) -> None:
    """A cron expression and an IANA time zone that Prefect accepts for a schedule."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:
        raise Refusal(
            f"cron expression {cron!r} is not valid (five fields, e.g. '0 6 * * *')"
        ) from None
    try:
        CronSchedule(cron="0 6 * * *", timezone=timezone)
    except ValueError:
        raise Refusal(
            f"time zone {timezone!r} is not known (use an IANA name, e.g. 'Europe/London')"
        ) from None


START_A_PREFECT_SERVER = (
    "start one with {script} (or `.venv/bin/prefect server start`), then "
    "`export PREFECT_API_URL=http://127.0.0.1:4200/api` and serve again"
)


def prefect_server_for_schedules() -> str:
    """The API URL of the Prefect server `serve` registers with; it must be set and answer.

    Without one, Prefect would serve against a temporary server that has no scheduler, so the
    schedule would never fire, and nothing would say so.
    """
    from prefect.settings import PREFECT_API_URL

    advice = START_A_PREFECT_SERVER.format(script=PROJECT_ROOT / "scripts/start_prefect_server.sh")
    api_url = os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()
    if not api_url:
        raise Refusal(
            "serve needs a running Prefect server, whose scheduler fires the schedule, and "
            f"PREFECT_API_URL is not set: {advice}"
        )
    if not _answers(f"{api_url.rstrip('/')}/health"):
        raise Refusal(f"no Prefect server answers at PREFECT_API_URL={api_url}: {advice}")
    return api_url


def _answers(url: str, timeout: float = 5) -> bool:
    """True when a server answers at `url` (an HTTP error is an answer too)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False

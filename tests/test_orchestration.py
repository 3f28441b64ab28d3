"""Everything that runs through Prefect: `strikewatch run` with extraction on Dask, and schedules
and runs through a real server (`strikewatch serve`, prefect.yaml, artifacts).

The session's Prefect server (conftest) and one `strikewatch serve` process are shared by the
module; runs are triggered through the API, never by waiting on the clock. The other tests run
the builder without Prefect; `make test` keeps this module on one worker (--dist loadfile).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import prefect
import pytest
import yaml
from builds import SEEDS, run_cli, table_contents
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.server.schemas.schedules import CronSchedule
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect_servers import STARTUP_SECONDS, _stop, _wait_until, migrated_prefect_home

from flows.serve import DEPLOYMENT_NAME, deployment_parameters
from strikewatch.scale import dask_task_runner
from strikewatch.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

DEPLOYMENT = f"build_warehouse/{DEPLOYMENT_NAME}"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """Two seed articles, their manifest and an empty .txt; and where the warehouse goes."""
    source = tmp_path_factory.mktemp("articles")
    for name in ("000_a7216da1061b563f.txt", "004_4b4592801f336815.txt", "sources.csv"):
        shutil.copy(SEEDS / name, source / name)
    (source / "empty.txt").write_bytes(b"")
    warehouse = tmp_path_factory.mktemp("warehouse") / "strikewatch.duckdb"
    return source, warehouse


@pytest.fixture(scope="module")
def served(prefect_server, corpus, tmp_path_factory) -> Iterator[str]:
    """`strikewatch serve` (default schedule) against the test server; yields the API URL."""
    source, warehouse = corpus
    home = tmp_path_factory.mktemp("prefect-client-home")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("STRIKEWATCH_SCHEDULE")},
        "PREFECT_API_URL": prefect_server,
        "PREFECT_HOME": str(home),
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",  # pick up triggered runs within a second
    }
    log = (home / "serve.log").open("w")
    serving = subprocess.Popen(
        [sys.executable, "-m", "strikewatch.cli", "serve"]
        + ["--source", str(source), "--warehouse", str(warehouse)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=str(home),  # runs must not depend on the folder serve was started in
        start_new_session=True,
    )
    try:
        with temporary_settings(updates={PREFECT_API_URL: prefect_server}):
            _wait_until(_deployment_or_none, STARTUP_SECONDS, "the served deployment", serving)
            yield prefect_server
    finally:
        _stop(serving)
        log.close()


def _deployment_or_none():
    with get_client(sync_client=True) as client:
        try:
            return client.read_deployment_by_name(DEPLOYMENT)
        except Exception:  # not registered yet
            return None


def test_served_deployment_has_the_daily_schedule_and_parameters(served, corpus):
    source, warehouse = corpus
    deployment = _deployment_or_none()
    assert deployment is not None
    assert deployment.parameters == {
        "source_dir": str(source),
        "warehouse_path": str(warehouse),
        "quiet": True,
        "wait_for_lock": True,
    }
    [schedule] = deployment.schedules
    assert schedule.active
    assert schedule.schedule.cron == "0 6 * * *"
    assert schedule.schedule.timezone == "Europe/London"


def test_schedule_yields_six_am_london_across_the_clock_change(served):
    deployment = _deployment_or_none()
    stored = deployment.schedules[0].schedule
    schedule = CronSchedule(cron=stored.cron, timezone=stored.timezone)
    # British Summer Time began at 01:00 UTC on 30 March 2025: 06:00 moves from 06:00 to 05:00 UTC
    dates = asyncio.run(schedule.get_dates(n=3, start=datetime(2025, 3, 28, 12, tzinfo=UTC)))
    assert [d.astimezone(UTC) for d in dates] == [
        datetime(2025, 3, 29, 6, tzinfo=UTC),
        datetime(2025, 3, 30, 5, tzinfo=UTC),
        datetime(2025, 3, 31, 5, tzinfo=UTC),
    ]


def test_server_scheduler_creates_the_next_daily_runs(served):
    deployment = _deployment_or_none()

    def scheduled_runs():
        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
                flow_run_filter=FlowRunFilter(
                    state=FlowRunFilterState(
                        type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])
                    )
                ),
            )
        auto = [run for run in runs if run.auto_scheduled]
        return auto if len(auto) >= 3 else None

    runs = _wait_until(scheduled_runs, 60, "the scheduler's runs")
    starts = sorted(run.expected_start_time.astimezone(LONDON) for run in runs)
    now = datetime.now(LONDON)
    assert now < starts[0] <= now + timedelta(days=1, hours=1)
    assert all((start.hour, start.minute) == (6, 0) for start in starts)
    assert all(b.date() - a.date() == timedelta(days=1) for a, b in itertools.pairwise(starts))


@pytest.fixture(scope="module")
def deployment_run(served):
    """One run of the served deployment, triggered through the API; the finished flow run."""
    from prefect.deployments import run_deployment

    return run_deployment(DEPLOYMENT, timeout=300, poll_interval=1)


def test_a_run_through_the_server_reports_state_tasks_and_artifacts(deployment_run, corpus):
    source, warehouse = corpus
    flow_run = deployment_run
    assert flow_run.state is not None and flow_run.state.type == StateType.COMPLETED, flow_run.state

    with get_client(sync_client=True) as client:
        this_run = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))
        artifacts = {a.key: a for a in client.read_artifacts(flow_run_filter=this_run)}
        task_runs = client.read_task_runs(flow_run_filter=this_run)

    summary = artifacts["run-summary"]
    assert summary.type == "markdown"
    assert str(warehouse) in summary.data
    assert "| 3 | 2 | 0 | 0 | 0 | 1 |" in summary.data  # seen, new, ..., quarantined
    assert "| extracted.articles | 2 |" in summary.data
    assert "| poll_answers_do_not_add_up |" in summary.data  # plausibility counts

    quarantined = artifacts["quarantined-files"]
    assert quarantined.type == "table"
    [row] = json.loads(quarantined.data)
    assert row["source_file"] == "empty.txt"
    assert "empty" in row["reason"].lower()

    # I/O-bound tasks retry; the server holds each task run's retry policy
    retries = {run.name.rsplit("-", 1)[0]: run.empirical_policy.retries for run in task_runs}
    assert retries["discover"] == 2
    assert retries["extract_batch"] == 2
    assert {"load_warehouse", "run_dbt", "publish_warehouse"} <= set(retries)
    assert all(run.state.type == StateType.COMPLETED for run in task_runs)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from extracted.articles").fetchone() == (2,)


def test_prefect_yaml_declares_the_served_deployment():
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    [deployment] = config["deployments"]
    settings = Settings()
    assert deployment["name"] == DEPLOYMENT_NAME
    path, function = deployment["entrypoint"].split(":")
    assert (ROOT / path).is_file() and function == "build_warehouse"
    [schedule] = deployment["schedules"]
    assert (schedule["cron"], schedule["timezone"]) == (
        settings.schedule_cron,
        settings.schedule_timezone,
    )
    assert deployment["parameters"] == deployment_parameters(None, None)


# --- extraction on a local Dask cluster -------------------------------------------------------


@pytest.fixture(scope="module")
def dask_run(
    prefect_server, corpus, tmp_path_factory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`strikewatch run` on the served deployment's articles, extraction on two Dask processes."""
    source, _ = corpus
    warehouse = tmp_path_factory.mktemp("dask") / "strikewatch.duckdb"
    # Info from the nannies only, to count the workers starting: at info, the rest of
    # distributed logs a harmless traceback when a connection drops during cluster shutdown.
    env = {**os.environ, "DASK_LOGGING": "{'distributed': 'warning', 'distributed.nanny': 'info'}"}
    result = run_cli(
        "run",
        "--source",
        str(source),
        "--warehouse",
        str(warehouse),
        "--dask-workers",
        "2",
        "--batch-size",
        "1",  # three files: three extraction tasks shared by the two workers
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse, result


def test_run_through_prefect_on_dask_is_clean_and_summarised(dask_run):
    """`strikewatch run` as a user types it, through the flow, extraction on two processes."""
    warehouse, result = dask_run
    log = result.stdout + result.stderr
    assert log.count("Start Nanny at") == 2  # a nanny per worker process
    assert "Traceback" not in log
    assert f"Published {warehouse}" in result.stdout
    assert "Files: 3 seen, 2 new" in result.stdout
    assert "quarantined file empty.txt" in result.stdout  # with its reason
    assert "strikewatch: running dbt build" in result.stderr
    assert not list(warehouse.parent.glob(".*build*")), "build leftovers beside the warehouse"


def test_dask_warehouse_equals_the_served_runs(dask_run, deployment_run, corpus):
    """Extraction on Dask gives what the deployment's one-thread run gave, layer by layer."""
    dask_warehouse, _ = dask_run
    _, served_warehouse = corpus
    layers = ("extracted", "quarantine", "intermediate", "marts")
    expected = table_contents(served_warehouse, layers)
    got = table_contents(dask_warehouse, layers)
    assert set(got) == set(expected)
    for relation, rows in expected.items():
        assert got[relation] == rows, relation
    # the comparison is not vacuous: facts, a quarantined file and every layer are in both
    assert len(expected["extracted.articles"]) == 2
    assert len(expected["extracted.quotes"]) > 10
    assert len(expected["marts.cancellations_by_date"]) == 3
    assert [row[0] for row in expected["quarantine.rejected_files"]] == ["empty.txt"]


def test_dask_runner_needs_an_address_or_workers():
    with pytest.raises(ValueError):
        dask_task_runner(None, None)
    with pytest.raises(ValueError):
        dask_task_runner(None, 0)


def _migrate_before_serving(home: Path) -> str:
    """What the temporary server decides about its migrations, in a process of its own: whether
    it still migrates on start-up, and whether it imported Alembic to decide."""
    script = (
        "import sys\n"
        "from strikewatch.prefect_server import _migrate_before_serving\n"
        "print('migrate on start', _migrate_before_serving(), 'alembic', 'alembic' in sys.modules)"
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PREFECT_API_", "PREFECT_SERVER_DATABASE"))
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "PREFECT_HOME": str(home)},
        timeout=STARTUP_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_temporary_server_checks_the_migrations_of_a_database_once(prefect_server, tmp_path):
    home = migrated_prefect_home(prefect_server, tmp_path / "home")
    database = home / "prefect.db"
    with contextlib.closing(sqlite3.connect(database)) as con:
        (revision,) = con.execute("select version_num from alembic_version").fetchone()
    stamp = home / "prefect.db.migrated"
    assert not stamp.exists()
    # first start on this database: Alembic checks it (up to date already), and it is stamped
    assert _migrate_before_serving(home) == "migrate on start False alembic True"
    assert json.loads(stamp.read_text()) == {
        "prefect": prefect.__version__,
        "database": str(database),
        "revision": revision,
    }
    # stamped and still at that revision: no Alembic, and the server does not check again
    assert _migrate_before_serving(home) == "migrate on start False alembic False"
    # stamped by another Prefect version: checked (and stamped) again
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "prefect": "0.0.1"}))
    assert _migrate_before_serving(home) == "migrate on start False alembic True"
    assert json.loads(stamp.read_text())["prefect"] == prefect.__version__

"""Serve build_warehouse on a cron schedule: `strikewatch serve` (see docs/orchestration.md).

Serving registers the deployment with the Prefect API and then polls it for runs that are due.
Schedules only fire with a real server (`scripts/start_prefect_server.sh`): the ephemeral API
a plain `strikewatch run` starts lives for one run and has no scheduler.
prefect.yaml declares the same deployment for `prefect deploy` with a work pool.
"""

from __future__ import annotations

from typing import Any

from prefect.deployments.runner import EntrypointType
from prefect.schedules import Cron, Schedule

from flows.build_warehouse import build_warehouse

DEPLOYMENT_NAME = "strikewatch-daily"


def deployment_schedule(cron: str, timezone: str) -> Schedule:
    """The deployment's schedule: a cron expression read in the given time zone."""
    return Cron(cron, timezone=timezone)


def deployment_parameters(source_dir: str | None, warehouse_path: str | None) -> dict[str, Any]:
    """Flow parameters of every scheduled run; paths left out fall back to the settings."""
    parameters: dict[str, Any] = {"quiet": True, "wait_for_lock": True}
    if source_dir:
        parameters["source_dir"] = source_dir
    if warehouse_path:
        parameters["warehouse_path"] = warehouse_path
    return parameters


def serve_flow(
    cron: str, timezone: str, source_dir: str | None, warehouse_path: str | None
) -> None:
    """Register the scheduled deployment and run it whenever it is due, until interrupted."""
    build_warehouse.serve(
        name=DEPLOYMENT_NAME,
        schedules=[deployment_schedule(cron, timezone)],
        parameters=deployment_parameters(source_dir, warehouse_path),
        description="Rebuild and publish the strikewatch warehouse from the source folder.",
        tags=["strikewatch"],
        # runs import flows.build_warehouse, so they work whatever folder serve started in
        entrypoint_type=EntrypointType.MODULE_PATH,
    )

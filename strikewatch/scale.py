"""Scale-out: run the flow's extraction tasks on a Dask cluster (local processes are the
extraction pool's business: `strikewatch.budget`, `--workers`).

Only the submitted tasks (one `extract_batch` per `batch_size` files) go to the cluster; the
discover, load, model and publish steps stay in the flow's process. Workers read the source
files and write their batch files at the paths the flow gives them, so a remote cluster needs
the same paths (a shared file system) and the same strikewatch installation.
See docs/orchestration.md and docs/benchmarks.md for when this pays off.
"""

from __future__ import annotations

import logging
import os

from prefect_dask import DaskTaskRunner


def dask_task_runner(address: str | None, workers: int | None) -> DaskTaskRunner:
    """A DaskTaskRunner on the scheduler at `address`, else on a local cluster of N processes."""
    if address:
        return DaskTaskRunner(address=address)
    if workers is None or workers < 1:
        raise ValueError("give a Dask scheduler address or a number of local workers (>= 1)")
    share_local_api()
    quiet_dask_logs()
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": workers,
            "threads_per_worker": 1,  # extraction is pure Python: one GIL per process
            "processes": True,
            "host": "127.0.0.1",
            "dashboard_address": None,  # no dashboard (the scheduler's HTTP server stays local)
        },
    )


def share_local_api() -> str:
    """Make local Dask workers report to this process's Prefect API; returns its URL.

    Without PREFECT_API_URL a flow talks to an ephemeral API server it starts itself, and so
    would every worker process, each starting (and waiting for) one of its own. Starting the
    ephemeral server here and exporting its URL lets the workers, which inherit the
    environment, share it.
    """
    from prefect.settings import PREFECT_API_URL

    configured = PREFECT_API_URL.value() or os.environ.get("PREFECT_API_URL")
    if configured:
        return configured
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the instance the flow's own client will use
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    return server.api_url


def quiet_dask_logs() -> None:
    """Only warnings and errors from Dask, here and in the workers, unless the user set a level."""
    level = os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    logging.getLogger("distributed").setLevel(level.upper())

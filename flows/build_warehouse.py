"""Prefect flow: raw article files in, a published DuckDB warehouse out.

Each task is one step of the builder (strikewatch/build.py) and hands the next one paths and
ids; the flow adds retries, a task runner for the extract step, and the run's artifacts. Steps
that write the build are never answered from Prefect's cache (NO_CACHE). The plan, the load's
result and dbt's outcome go to the tasks `quote`d: Prefect would otherwise walk every entry of
them (the plan holds a few entries per source file) for each task, seconds at 10,000 files.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from strikewatch.build import (
    BuildPlan,
    RunSummary,
    dbt_step,
    extract_arguments,
    extract_step,
    extracting_message,
    extraction_workers,
    load_step,
    no_progress,
    not_published,
    plan_build,
    print_progress,
    publish_step,
    stage_began,
    unchanged_summary,
    warm_up_dbt,
)
from strikewatch.dbt_build import DbtOutcome
from strikewatch.extract_batch import extraction_pool
from strikewatch.load import LoadResult
from strikewatch.plan import load_plan_file
from strikewatch.settings import Settings
from strikewatch.warehouse import (
    RunInProgress,
    WarehouseUnavailable,
    run_lock,
    warehouse_problem,
)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover(source: Path, target: Path, manifest: Path | None, force: bool) -> BuildPlan:
    """List and fingerprint the source files; plan a full, incremental or no build."""
    return plan_build(source, target, manifest, force)


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def extract_batch(
    source: Path,
    files: list[str],
    manifest: Path | None,
    target: Path,
    run_id: str,
    batch_path: Path,
    expected: dict[str, str] | None = None,
    snapshot_dir: Path | None = None,
) -> Path:
    """Read, parse and extract one batch of files into a stored batch of rows."""
    return extract_step(source, files, manifest, target, run_id, batch_path, expected, snapshot_dir)


@task(cache_policy=NO_CACHE)
def load_warehouse(plan: BuildPlan, batch_paths: list[Path]) -> LoadResult:
    """Validate and load every batch into the build file."""
    return load_step(plan, batch_paths)


@task(cache_policy=NO_CACHE)
def run_dbt(plan: BuildPlan) -> DbtOutcome:
    """dbt build against the build file: staging, intermediate and mart views, data tests."""
    return dbt_step(plan)


@task(cache_policy=NO_CACHE)
def publish_warehouse(
    plan: BuildPlan, load: LoadResult, outcome: DbtOutcome, allow_shrink: bool = False
) -> RunSummary:
    """Record the run and atomically replace the published warehouse, if every test passed and
    it would not shrink too far (unless `allow_shrink`)."""
    return publish_step(plan, load, outcome, allow_shrink)


def _summary_markdown(summary: RunSummary) -> str:
    load = summary.load
    lines = [
        f"# strikewatch run {summary.run_id}",
        "",
        f"Warehouse: `{summary.warehouse}` ({summary.seconds:.1f} s, {summary.build_mode} build, "
        f"dbt {summary.dbt_seconds:.1f} s)",
        "",
        "| files seen | new | changed | unchanged | removed | quarantined |",
        "|---|---|---|---|---|---|",
        f"| {summary.files_seen} | {load.files_new} | {load.files_changed} | "
        f"{load.files_unchanged} | {load.files_removed} | {load.files_quarantined} |",
        "",
        "| table | rows |",
        "|---|---|",
        *[f"| {table} | {count} |" for table, count in load.rows_loaded.items()],
    ]
    if summary.plausibility_warnings:
        lines += ["", "| plausibility test (warns) | rows flagged |", "|---|---|"]
        lines += [f"| {name} | {count} |" for name, count in summary.plausibility_warnings.items()]
    if summary.warnings:
        lines += ["", "Warnings:", *[f"- {warning}" for warning in summary.warnings]]
    return "\n".join(lines)


# Extraction runs in the budgeted worker pool (all cores once the input pays for it, or
# `--workers N`); the batches are handed to it one at a time.
@flow(name="build_warehouse", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=1))
def build_warehouse(
    source_dir: str | None = None,
    warehouse_path: str | None = None,
    manifest_path: str | None = None,
    batch_size: int = 200,
    wait_for_lock: bool = False,
    force: bool = False,
    quiet: bool = False,
    plan_file: str | None = None,
    workers: int | None = None,
    allow_shrink: bool = False,
) -> RunSummary:
    """Discover, read, parse, extract, validate, load, model, test and publish.

    `plan_file` is a plan the caller made (`strikewatch run` plans before Prefect starts, and
    holds the run lock meanwhile): the flow then goes straight to extraction.
    """
    settings = Settings()
    source = Path(source_dir).resolve() if source_dir else settings.source_dir
    target = Path(warehouse_path).resolve() if warehouse_path else settings.warehouse_path
    manifest = Path(manifest_path).resolve() if manifest_path else source / "sources.csv"
    if not source.is_dir():
        return not_published(target, f"source folder {source} does not exist")
    if problem := warehouse_problem(target):
        return not_published(target, problem.message, problem.status)
    progress = no_progress if quiet else print_progress
    began: dict[str, float] = {}
    try:
        with run_lock(target, wait=wait_for_lock):
            if plan_file:
                plan = load_plan_file(Path(plan_file))
            else:
                progress(f"discovering files in {source}")
                plan = discover(source, target, manifest if manifest.exists() else None, force)
            if plan.unchanged_since:
                progress(f"nothing changed since run {plan.unchanged_since}")
                return unchanged_summary(plan)
            stage_began(began, "extraction")
            warm_up_dbt(plan)
            batches = plan.batches(batch_size)
            progress(extracting_message(plan, len(batches)))
            batch_paths = []
            with extraction_pool(extraction_workers(plan, workers)):
                futures = [
                    extract_batch.submit(*extract_arguments(plan, files, index))
                    for index, files in enumerate(batches)
                ]
                for done, future in enumerate(futures, start=1):
                    batch_paths.append(future.result())
                    if len(futures) > 1:
                        progress(f"  batch {done}/{len(futures)} extracted")
            stage_began(began, "load")
            progress("validating and loading tables")
            load = load_warehouse(quote(plan), batch_paths)
            stage_began(began, "models")
            progress("running dbt build (models and data tests)")
            outcome = run_dbt(quote(plan))
            stage_began(began, "publish")
            if outcome.ok:
                progress(f"publishing {target}")
            summary = publish_warehouse(quote(plan), quote(load), quote(outcome), allow_shrink)
    except RunInProgress as exc:
        return not_published(target, str(exc), status=3)
    except WarehouseUnavailable as exc:  # the next run removes what this one left
        return not_published(target, str(exc), exc.status)
    create_markdown_artifact(_summary_markdown(summary), key="run-summary")
    if summary.rejected_files:
        create_table_artifact(summary.rejected_files, key="quarantined-files")
    summary.began = began
    return summary

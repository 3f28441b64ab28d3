"""Prefect flow: raw article files in, a published DuckDB warehouse out."""

from __future__ import annotations

import secrets
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from strikewatch.console import printable
from strikewatch.extract import EXTRACTOR_VERSION
from strikewatch.fingerprint import input_fingerprint, last_fingerprint
from strikewatch.ingest import Discovery, discover_files, load_manifest
from strikewatch.load import LoadResult, RunRecord, load_build, record_run
from strikewatch.models import build_models
from strikewatch.pipeline import ExtractionCache, process_batch, rejected_file_row, write_batch
from strikewatch.settings import SQL_DIR, Settings
from strikewatch.warehouse import (
    RunInProgress,
    build_path_for,
    cache_path_for,
    publish,
    remove_leftovers,
    run_lock,
    warehouse_problem,
)


@dataclass
class RunSummary:
    """What a run did, for the CLI, the artifact and tests."""

    run_id: str
    warehouse: str
    files_seen: int
    load: LoadResult
    models: list[str]
    warnings: list[str] = field(default_factory=list)
    rejected_files: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    problem: str | None = None  # why nothing was published, when nothing was
    unchanged_since: str | None = None  # run whose warehouse still stands, when nothing changed

    @property
    def published(self) -> bool:
        return self.problem is None


def progress(message: str, quiet: bool = False) -> None:
    """One progress line on stderr."""
    if not quiet:
        print(f"strikewatch: {printable(message)}", file=sys.stderr, flush=True)


def _batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@task(retries=2, retry_delay_seconds=1)
def discover(source_dir: Path, manifest_path: Path | None) -> Discovery:
    """List candidate article files under the source folder."""
    return discover_files(source_dir, manifest_path)


@task(retries=2, retry_delay_seconds=1)
def fingerprint_inputs(discovery: Discovery, manifest_path: Path | None) -> str:
    """Fingerprint the inputs, to recognise a run that would change nothing."""
    return input_fingerprint(discovery, manifest_path)


@task(retries=2, retry_delay_seconds=1)
def extract_batch(
    source_dir: Path,
    source_files: list[str],
    manifest_path: Path | None,
    out_path: Path,
    run_id: str,
    cache_dir: Path,
) -> Path:
    """Read, parse and extract one batch of files into a stored batch of rows."""
    manifest = load_manifest(manifest_path, set(source_files), source_root=source_dir)
    batch = process_batch(source_dir, source_files, manifest, run_id, ExtractionCache(cache_dir))
    return write_batch(batch, out_path)


@task
def load_warehouse(
    build_path: Path, batch_paths: list[Path], run_id: str, target: Path, rejected: list[dict]
) -> LoadResult:
    """Validate and load every batch into the build database."""
    return load_build(build_path, batch_paths, run_id, target, rejected)


@task
def build_sql_models(build_path: Path, sql_dir: Path) -> list[str]:
    """Create the staging, core and mart views from sql/."""
    import duckdb

    con = duckdb.connect(str(build_path))
    try:
        built = build_models(con, sql_dir)
        con.execute("checkpoint")
    finally:
        con.close()
    return built


@task
def finish_run(build_path: Path, record: RunRecord) -> None:
    """Record the run in meta.runs."""
    record_run(build_path, record)


@task
def publish_warehouse(build_path: Path, target: Path) -> None:
    """Atomically replace the published warehouse with the new build."""
    publish(build_path, target)


def _summary_markdown(summary: RunSummary) -> str:
    load = summary.load
    lines = [
        f"# strikewatch run {summary.run_id}",
        "",
        f"Warehouse: `{summary.warehouse}` ({summary.seconds:.1f} s)",
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
    if summary.warnings:
        lines += ["", "Warnings:", *[f"- {warning}" for warning in summary.warnings]]
    return "\n".join(lines)


# Extraction is pure Python: more threads only contend for the interpreter lock, so batches run
# one at a time unless the caller picks processes or Dask (`strikewatch run --workers N`).
@flow(name="build_warehouse", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=1))
def build_warehouse(
    source_dir: str | None = None,
    warehouse_path: str | None = None,
    manifest_path: str | None = None,
    batch_size: int = 200,
    wait_for_lock: bool = False,
    force: bool = False,
    quiet: bool = False,
) -> RunSummary:
    """Discover, read, parse, extract, validate, load, model and publish."""
    settings = Settings()
    source = Path(source_dir).resolve() if source_dir else settings.source_dir
    target = Path(warehouse_path).resolve() if warehouse_path else settings.warehouse_path
    manifest = Path(manifest_path).resolve() if manifest_path else source / "sources.csv"
    if not source.is_dir():
        return _not_published(target, f"source folder {source} does not exist")
    if problem := warehouse_problem(target):
        return _not_published(target, problem.message)
    try:
        with run_lock(target, wait=wait_for_lock):
            summary = _build_and_publish(
                source, target, manifest if manifest.exists() else None, batch_size, force, quiet
            )
    except RunInProgress as exc:
        return _not_published(target, str(exc))
    if summary.unchanged_since:
        return summary
    create_markdown_artifact(_summary_markdown(summary), key="run-summary")
    if summary.rejected_files:
        create_table_artifact(summary.rejected_files, key="quarantined-files")
    return summary


def _build_and_publish(
    source: Path, target: Path, manifest: Path | None, batch_size: int, force: bool, quiet: bool
) -> RunSummary:
    started = datetime.now(UTC)
    run_id = started.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)
    build_path = build_path_for(target, run_id)
    staging = build_path.with_name(build_path.name + ".d")
    cache_dir = cache_path_for(target)
    remove_leftovers(target)

    progress(f"discovering files in {source}", quiet)
    discovery = discover(source, manifest)
    candidates = [candidate.source_file for candidate in discovery.candidates]
    warnings = load_manifest(manifest, set(candidates)).warnings
    rejected = [rejected_file_row(run_id, rejection) for rejection in discovery.rejections]
    fingerprint = fingerprint_inputs(discovery, manifest)
    previous = last_fingerprint(target)
    if previous and previous[1] == fingerprint and not force:
        progress(f"nothing changed since run {previous[0]}", quiet)
        return RunSummary(
            run_id,
            str(target),
            len(candidates),
            LoadResult(),
            [],
            warnings,
            seconds=(datetime.now(UTC) - started).total_seconds(),
            unchanged_since=previous[0],
        )

    batches = _batches(candidates, batch_size)
    progress(f"extracting facts from {len(candidates)} files in {len(batches)} batches", quiet)
    futures = [
        extract_batch.submit(
            source, batch, manifest, staging / f"batch-{i:05d}.pkl", run_id, cache_dir
        )
        for i, batch in enumerate(batches)
    ]
    batch_paths = []
    for done, future in enumerate(futures, start=1):
        batch_paths.append(future.result())
        if len(futures) > 1:
            progress(f"  batch {done}/{len(futures)} extracted", quiet)

    progress("validating and loading tables", quiet)
    load = load_warehouse(build_path, batch_paths, run_id, target, rejected)
    progress("building SQL models", quiet)
    models = build_sql_models(build_path, SQL_DIR)
    record = RunRecord(
        run_id,
        started,
        str(source),
        EXTRACTOR_VERSION,
        len(candidates),
        load,
        warnings,
        fingerprint,
    )
    finish_run(build_path, record)

    progress(f"publishing {target}", quiet)
    publish_warehouse(build_path, target)
    shutil.rmtree(staging, ignore_errors=True)
    ExtractionCache(cache_dir).prune(unused_since=started.timestamp())
    return RunSummary(
        run_id,
        str(target),
        len(candidates),
        load,
        models,
        warnings,
        rejected_files=load.rejected_files,
        seconds=(datetime.now(UTC) - started).total_seconds(),
    )


def _not_published(target: Path, problem: str) -> RunSummary:
    return RunSummary("", str(target), 0, LoadResult(), [], problem=problem)

"""The builder: discover, extract, load, dbt, publish, as plain Python.

`build_warehouse` runs the whole build in this process, without Prefect; the Prefect flow
(flows/build_warehouse.py) runs the same steps as tasks. Steps hand each other paths and ids:

1. `plan_build`: list the source files, fingerprint them and decide what to do: nothing (inputs
   unchanged since the published run), a full build into a new file, or an incremental build on
   a copy of the published warehouse that replaces only the rows of files whose inputs changed.
2. `extract_step`: read, parse and extract a batch of files into a stored batch (batches run
   one after another here; the flow can spread them over processes or Dask).
3. `load_step`: validate and load the batches into the build file, with quarantine and history.
4. `dbt_step`: `dbt build` against the build file: views and data tests.
5. `publish_step`: record the run and atomically replace the published warehouse, unless a
   structural data test failed, in which case nothing is published.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from strikewatch.console import printable
from strikewatch.dbt_build import DbtOutcome, run_dbt_build, save_state, warm_up
from strikewatch.extract import EXTRACTOR_VERSION
from strikewatch.extract_batch import extraction_pool, process_batch, write_batch
from strikewatch.extraction_cache import ExtractionCache
from strikewatch.ingest import Manifest
from strikewatch.load import LoadResult, load_build
from strikewatch.manifest import ManifestLines, read_manifest_lines
from strikewatch.plan import (  # noqa: F401 (the builder's names, importable from here)
    BuildPlan,
    LoadPlan,
    RunSummary,
    new_run_id,
    not_published,
    plan_build,
    unchanged_summary,
)
from strikewatch.run_record import RunRecord, record_run
from strikewatch.settings import Settings
from strikewatch.shrink_guard import shrink_problem
from strikewatch.warehouse import (
    RunInProgress,
    WarehouseUnavailable,
    cache_path_for,
    dbt_state_path_for,
    publish,
    remove_leftovers,
    run_lock,
)

Progress = Callable[[str], None]
TESTS_FAILED = "data tests failed"


def print_progress(message: str) -> None:
    """One progress line on stderr."""
    print(f"strikewatch: {printable(message)}", file=sys.stderr, flush=True)


def no_progress(message: str) -> None:
    """Progress lines go nowhere (--quiet)."""


STAGES = ("extraction", "load", "models", "publish")


def stage_began(began: dict[str, float], stage: str) -> None:
    """Note the wall-clock time a stage of the run begins (see RunSummary.began)."""
    began[stage] = time.time()


def warm_up_dbt(plan: BuildPlan) -> None:
    """Start importing dbt and parsing sql/ in the background (see dbt_build.warm_up)."""
    state_dir = dbt_state_path_for(plan.target)
    warm_up(plan.build_file, plan.build_dir / "dbt", state_dir / "partial_parse.msgpack")


def prepare_build_file(plan: BuildPlan) -> Path:
    """An empty build folder, holding a copy of the published warehouse when incremental."""
    plan.build_dir.mkdir(parents=True, exist_ok=True)
    if plan.load_plan.incremental:
        shutil.copyfile(plan.target, plan.build_file)
    return plan.build_file


def extract_step(
    source: Path,
    files: list[str],
    manifest_path: Path | None,
    target: Path,
    run_id: str,
    batch_path: Path,
    expected: dict[str, str] | None = None,
    snapshot_dir: Path | None = None,
) -> Path:
    """Read, parse and extract a batch of files into a stored batch; returns its path.

    Takes paths and ids only, so that it can run in another process or on a Dask worker.
    `expected` is the plan's sha256 of each file, `snapshot_dir` the bytes the plan read.
    """
    manifest = batch_manifest(manifest_path, files, source, run_id)
    cache = ExtractionCache(cache_path_for(target))
    batch = process_batch(
        source, files, manifest, run_id, cache, expected=expected, snapshot_dir=snapshot_dir
    )
    return write_batch(batch, batch_path)


_RUN_MANIFEST: dict[tuple[str, Path | None, Path], ManifestLines | Manifest] = {}


def batch_manifest(
    manifest_path: Path | None, files: list[str], source: Path, run_id: str
) -> Manifest:
    """The manifest entries of a batch's files.

    The manifest is read and cut into cells once per run and process, by the run's first batch
    here; each batch then matches only the rows that may name one of its files, so a run that
    extracts one file does not match the rows of every other file of the source.
    """
    key = (run_id, manifest_path, source)
    lines = _RUN_MANIFEST.get(key)
    if lines is None:
        lines = read_manifest_lines(manifest_path)
        _RUN_MANIFEST.clear()
        _RUN_MANIFEST[key] = lines
    if isinstance(lines, Manifest):  # none, or one that cannot be used
        return Manifest()
    return Manifest(lines.entries(set(files), source, only_known=True).entries)


def extract_arguments(plan: BuildPlan, files: list[str], index: int) -> tuple:
    """extract_step's arguments for batch `index` of the plan."""
    expected = {name: plan.hashes[name] for name in files if name in plan.hashes}
    return (
        plan.source,
        files,
        plan.manifest,
        plan.target,
        plan.run_id,
        plan.batch_path(index),
        expected,
        plan.snapshot_dir,
    )


# Below this many bytes to extract, one worker process does it sooner than a pool can start.
POOL_PAYS_FROM_BYTES = 2_000_000


def extraction_workers(plan: BuildPlan, requested: int | None = None) -> int:
    """Extraction processes for this run: as asked, else every core once the input pays."""
    if requested:
        return requested
    if plan.bytes_to_extract() < POOL_PAYS_FROM_BYTES:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def load_step(plan: BuildPlan, batch_paths: list[Path]) -> LoadResult:
    """Validate and load the stored batches into the build file."""
    prepare_build_file(plan)
    return load_build(
        plan.build_file, batch_paths, plan.run_id, plan.target, plan.rejected, plan.load_plan
    )


def dbt_step(plan: BuildPlan) -> DbtOutcome:
    """Build the SQL models and run the data tests against the build file."""
    return run_dbt_build(
        plan.build_file, plan.build_dir / "dbt", dbt_state_path_for(plan.target), plan.dbt_state
    )


def publish_step(
    plan: BuildPlan, load: LoadResult, outcome: DbtOutcome, allow_shrink: bool = False
) -> RunSummary:
    """Record the run and publish, or, if a structural test failed or the warehouse would
    shrink too far (see shrink_guard) without `allow_shrink`, publish nothing."""
    summary = RunSummary(
        plan.run_id,
        str(plan.target),
        len(plan.candidates),
        load,
        outcome.models_built,
        plan.warnings,
        rejected_files=load.rejected_files,
        build_mode=plan.build_mode,
        dbt_seconds=outcome.seconds,
        plausibility_warnings=outcome.warnings,
        test_failures=outcome.failures,
    )
    if not outcome.ok:
        log = plan.build_dir / "dbt" / "logs" / "dbt.log"
        details = "\n".join(failure.describe() for failure in outcome.failures)
        summary.problem = (
            f"{TESTS_FAILED} ({len(outcome.failures)}); the last published warehouse stands. "
            f"dbt's log: {log}\n{details}"
        )
        summary.seconds = (datetime.now(UTC) - plan.started).total_seconds()
        return summary
    max_share = Settings().max_dropped_share
    if not allow_shrink and (shrunk := shrink_problem(plan.build_file, plan.target, max_share)):
        summary.problem = shrunk
        shutil.rmtree(plan.build_dir, ignore_errors=True)
        summary.seconds = (datetime.now(UTC) - plan.started).total_seconds()
        return summary
    fingerprint = plan.fingerprint
    if load.changed_during_run:  # never equal to a fingerprint: the next run is not a no-op
        fingerprint += CHANGED_DURING_RUN
        summary.warnings = [*summary.warnings, changed_during_run_warning(load)]
    record = RunRecord(
        plan.run_id,
        plan.started,
        str(plan.source),
        EXTRACTOR_VERSION,
        len(plan.candidates),
        load,
        summary.warnings,
        fingerprint,
        build_mode=plan.build_mode,
        dbt_seconds=outcome.seconds,
        plausibility_warnings=outcome.warnings,
    )
    record_run(plan.build_file, record)
    publish(plan.build_file, plan.target)
    plan.record_file_states(leave_out=load.changed_during_run)
    state_dir = dbt_state_path_for(plan.target)
    save_state(plan.build_file, plan.build_dir / "dbt", state_dir, plan.run_id)
    shutil.rmtree(plan.build_dir, ignore_errors=True)
    ExtractionCache(cache_path_for(plan.target)).prune(keep=plan.cache_keys)
    summary.seconds = (datetime.now(UTC) - plan.started).total_seconds()
    return summary


CHANGED_DURING_RUN = "+changed-during-run"


def changed_during_run_warning(load: LoadResult) -> str:
    """The warning for files rewritten while the run read them."""
    changed = load.changed_during_run
    names = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return (
        f"{len(changed)} file(s) changed while this run read them ({names}): their rows are "
        "from the bytes read; the next run reads them again"
    )


def build_warehouse(
    source: Path,
    target: Path,
    manifest: Path | None = None,
    batch_size: int = 200,
    force: bool = False,
    wait_for_lock: bool = False,
    progress: Progress = print_progress,
    allow_shrink: bool = False,
) -> RunSummary:
    """Build and publish the warehouse from a folder of articles, in this process."""
    if not source.is_dir():
        return not_published(target, f"source folder {source} does not exist")
    try:
        with run_lock(target, wait=wait_for_lock):
            try:
                return _build(source, target, manifest, batch_size, force, progress, allow_shrink)
            except WarehouseUnavailable as exc:
                remove_leftovers(target)
                return not_published(target, str(exc), exc.status)
    except RunInProgress as exc:
        return not_published(target, str(exc), status=3)


def _build(
    source: Path,
    target: Path,
    manifest: Path | None,
    batch_size: int,
    force: bool,
    progress: Progress,
    allow_shrink: bool = False,
) -> RunSummary:
    progress(f"discovering files in {source}")
    plan = plan_build(source, target, manifest, force)
    if plan.unchanged_since:
        progress(f"nothing changed since run {plan.unchanged_since}")
        return unchanged_summary(plan)
    return build_planned(plan, batch_size, progress, allow_shrink=allow_shrink)


def build_planned(
    plan: BuildPlan,
    batch_size: int = 200,
    progress: Progress = print_progress,
    workers: int | None = None,
    allow_shrink: bool = False,
) -> RunSummary:
    """Extract, load, model and publish what the plan says, in this process."""
    began: dict[str, float] = {}
    stage_began(began, "extraction")
    warm_up_dbt(plan)
    batches = plan.batches(batch_size)
    progress(extracting_message(plan, len(batches)))
    batch_paths = []
    with extraction_pool(extraction_workers(plan, workers)):
        for index, files in enumerate(batches):
            batch_paths.append(extract_step(*extract_arguments(plan, files, index)))
            if len(batches) > 1:
                progress(f"  batch {index + 1}/{len(batches)} extracted")
    stage_began(began, "load")
    progress("validating and loading tables")
    load = load_step(plan, batch_paths)
    stage_began(began, "models")
    progress("running dbt build (models and data tests)")
    outcome = dbt_step(plan)
    stage_began(began, "publish")
    if outcome.ok:
        progress(f"publishing {plan.target}")
    summary = publish_step(plan, load, outcome, allow_shrink)
    summary.began = began
    return summary


def extracting_message(plan: BuildPlan, batches: int) -> str:
    """The progress line that starts the extract step."""
    if plan.load_plan.incremental:
        kept = len(plan.candidates) - len(plan.to_extract)
        return (
            f"extracting facts from {len(plan.to_extract)} new or changed files in {batches} "
            f"batches (incremental: the rows of {kept} unchanged files are kept)"
        )
    return f"extracting facts from {len(plan.to_extract)} files in {batches} batches"

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

import secrets
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from strikewatch.console import printable
from strikewatch.dbt_build import (
    DbtOutcome,
    TestFailure,
    run_dbt_build,
    save_state,
    trusted_state,
    warm_up,
)
from strikewatch.extract import EXTRACTOR_VERSION
from strikewatch.extract_batch import process_batch, rejected_file_row, write_batch
from strikewatch.extraction_cache import ExtractionCache
from strikewatch.fingerprint import (
    file_hashes,
    input_fingerprint,
    input_key,
    last_fingerprint,
    published_input_keys,
)
from strikewatch.ingest import discover_files, load_manifest
from strikewatch.load import LoadPlan, LoadResult, load_build
from strikewatch.run_record import RunRecord, record_run
from strikewatch.settings import Settings
from strikewatch.shrink_guard import shrink_problem
from strikewatch.warehouse import (
    RunInProgress,
    WarehouseUnavailable,
    build_dir_for,
    build_file_in,
    cache_path_for,
    check_previous,
    dbt_state_path_for,
    has_current_layout,
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
    build_mode: str = "full"
    dbt_seconds: float = 0.0
    plausibility_warnings: dict[str, int] = field(default_factory=dict)
    test_failures: list[TestFailure] = field(default_factory=list)
    refusal_status: int = 2  # exit status when nothing was published and no data test failed

    @property
    def published(self) -> bool:
        return self.problem is None


@dataclass
class BuildPlan:
    """One run's decisions and paths, handed from step to step."""

    run_id: str
    started: datetime
    source: Path
    target: Path
    manifest: Path | None
    build_dir: Path
    candidates: list[str]
    to_extract: list[str]
    fingerprint: str
    warnings: list[str]
    rejected: list[dict]
    cache_keys: set[str]
    load_plan: LoadPlan
    dbt_state: Path | None = None
    unchanged_since: str | None = None

    @property
    def build_file(self) -> Path:
        return build_file_in(self.build_dir)

    @property
    def build_mode(self) -> str:
        return "incremental" if self.load_plan.incremental else "full"

    def batch_path(self, index: int) -> Path:
        """Where the extract step stores batch number `index`."""
        return self.build_dir / "batches" / f"batch-{index:05d}.pkl"

    def batches(self, size: int) -> list[list[str]]:
        """The files to extract, in batches of `size`."""
        files = self.to_extract
        return [files[i : i + size] for i in range(0, len(files), size)]


def new_run_id(started: datetime) -> str:
    """UTC start time and a random suffix."""
    return started.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def plan_build(source: Path, target: Path, manifest: Path | None, force: bool = False) -> BuildPlan:
    """Discover and fingerprint the inputs; decide between nothing, full and incremental."""
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    remove_leftovers(target)
    check_previous(target)
    discovery = discover_files(source, manifest)
    candidates = [candidate.source_file for candidate in discovery.candidates]
    manifest_entries = load_manifest(manifest, set(candidates), source_root=source)
    hashes = file_hashes(discovery)
    fingerprint = input_fingerprint(discovery, manifest, hashes)
    entries = {name: manifest_entries.entries.get(name) for name in candidates}
    plan = BuildPlan(
        run_id=run_id,
        started=started,
        source=source,
        target=target,
        manifest=manifest,
        build_dir=build_dir_for(target),
        candidates=candidates,
        to_extract=candidates,
        fingerprint=fingerprint,
        warnings=manifest_entries.warnings,
        rejected=[rejected_file_row(run_id, rejection) for rejection in discovery.rejections],
        cache_keys={ExtractionCache.key(hashes[name], entries[name]) for name in candidates},
        load_plan=LoadPlan(input_keys={n: input_key(hashes[n], entries[n]) for n in candidates}),
    )
    previous = last_fingerprint(target)
    if previous and previous[1] == fingerprint and not force:
        plan.unchanged_since = previous[0]
        plan.to_extract = []
        return plan
    if not force:  # --force rebuilds from scratch, into a new file
        _plan_increment(plan, hashes, published_input_keys(target), previous)
    return plan


def _plan_increment(
    plan: BuildPlan,
    hashes: dict[str, str],
    published_keys: dict[str, str] | None,
    previous: tuple[str, str] | None,
) -> None:
    """Work on a copy of the published warehouse, keeping the rows of unchanged files.

    Only when the published tables have the current layout; its views and any model that did not
    change then stand as they are.
    """
    if published_keys is None or previous is None or not has_current_layout(plan.target):
        return
    keys = plan.load_plan.input_keys
    redo = {name for name in plan.candidates if published_keys.get(name) != keys[name]}
    # A file with the same bytes as one redone is redone too: which copy is kept depends on both.
    redone_contents = {hashes[name] for name in redo}
    redo |= {name for name in plan.candidates if hashes[name] in redone_contents}
    removed = set(published_keys) - set(plan.candidates)
    plan.to_extract = sorted(redo)
    plan.load_plan.incremental = True
    plan.load_plan.replaced_files = sorted(redo | removed)
    plan.dbt_state = trusted_state(dbt_state_path_for(plan.target), previous[0])


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
) -> Path:
    """Read, parse and extract a batch of files into a stored batch; returns its path.

    Takes paths and ids only, so that it can run in another process or on a Dask worker.
    """
    manifest = load_manifest(manifest_path, set(files), source_root=source)
    cache = ExtractionCache(cache_path_for(target))
    batch = process_batch(source, files, manifest, run_id, cache)
    return write_batch(batch, batch_path)


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
    record = RunRecord(
        plan.run_id,
        plan.started,
        str(plan.source),
        EXTRACTOR_VERSION,
        len(plan.candidates),
        load,
        plan.warnings,
        plan.fingerprint,
        build_mode=plan.build_mode,
        dbt_seconds=outcome.seconds,
        plausibility_warnings=outcome.warnings,
    )
    record_run(plan.build_file, record)
    publish(plan.build_file, plan.target)
    state_dir = dbt_state_path_for(plan.target)
    save_state(plan.build_file, plan.build_dir / "dbt", state_dir, plan.run_id)
    shutil.rmtree(plan.build_dir, ignore_errors=True)
    ExtractionCache(cache_path_for(plan.target)).prune(keep=plan.cache_keys)
    summary.seconds = (datetime.now(UTC) - plan.started).total_seconds()
    return summary


def unchanged_summary(plan: BuildPlan) -> RunSummary:
    """The summary of a run whose inputs match the published run's: nothing to do."""
    return RunSummary(
        plan.run_id,
        str(plan.target),
        len(plan.candidates),
        LoadResult(),
        [],
        plan.warnings,
        seconds=(datetime.now(UTC) - plan.started).total_seconds(),
        unchanged_since=plan.unchanged_since,
    )


def not_published(target: Path, problem: str, status: int = 2) -> RunSummary:
    """The summary of a run that could not start or go on; `status` is the exit status."""
    return RunSummary("", str(target), 0, LoadResult(), [], problem=problem, refusal_status=status)


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
    warm_up_dbt(plan)
    batches = plan.batches(batch_size)
    progress(extracting_message(plan, len(batches)))
    batch_paths = []
    for index, files in enumerate(batches):
        batch_paths.append(
            extract_step(
                plan.source, files, plan.manifest, plan.target, plan.run_id, plan.batch_path(index)
            )
        )
        if len(batches) > 1:
            progress(f"  batch {index + 1}/{len(batches)} extracted")
    progress("validating and loading tables")
    load = load_step(plan, batch_paths)
    progress("running dbt build (models and data tests)")
    outcome = dbt_step(plan)
    if outcome.ok:
        progress(f"publishing {target}")
    return publish_step(plan, load, outcome, allow_shrink)


def extracting_message(plan: BuildPlan, batches: int) -> str:
    """The progress line that starts the extract step."""
    if plan.load_plan.incremental:
        kept = len(plan.candidates) - len(plan.to_extract)
        return (
            f"extracting facts from {len(plan.to_extract)} new or changed files in {batches} "
            f"batches (incremental: the rows of {kept} unchanged files are kept)"
        )
    return f"extracting facts from {len(plan.to_extract)} files in {batches} batches"

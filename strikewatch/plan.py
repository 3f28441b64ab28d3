"""The first step of a run: list and fingerprint the inputs, then decide what to build.

Nothing (the inputs match the published run's), a full build into a new file, or an incremental
build on a copy of the published warehouse that redoes only the files whose inputs changed.

This module imports neither Prefect nor pandas nor pandera: the CLI plans before it starts any
of them, so a run with nothing to do costs a walk of the source folder and a stat per file
(`strikewatch.file_state`). A file whose stat changed is read here, once; its bytes are kept
as a snapshot in the build folder, and extraction reads them from there.
"""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from strikewatch.file_state import FileStates, content_hash, load_file_states, now_ns, stat_of
from strikewatch.fingerprint import input_fingerprint, input_key, last_fingerprint, unreadable
from strikewatch.ingest import Discovery, discover_files, read_document_bytes
from strikewatch.manifest import load_manifest
from strikewatch.warehouse import build_dir_for, build_file_in, check_previous, remove_leftovers

if TYPE_CHECKING:
    from strikewatch.dbt_build import TestFailure
    from strikewatch.load import LoadResult


@dataclass
class LoadPlan:
    """How to load: into an empty file, or into a copy of the published warehouse."""

    incremental: bool = False
    replaced_files: list[str] = field(default_factory=list)  # rows deleted before appending
    input_keys: dict[str, str] = field(default_factory=dict)  # source_file -> input key


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
    hashes: dict[str, str] = field(default_factory=dict)  # source_file -> sha256 of its bytes
    file_states: FileStates = field(default_factory=FileStates)  # recorded once published
    seen_at_ns: int = 0  # when the files were stat'ed: files changed just before are not trusted

    @property
    def build_file(self) -> Path:
        return build_file_in(self.build_dir)

    @property
    def snapshot_dir(self) -> Path:
        """Where the bytes of the files read while planning wait for extraction."""
        return self.build_dir / "inputs"

    @property
    def build_mode(self) -> str:
        return "incremental" if self.load_plan.incremental else "full"

    def batch_path(self, index: int) -> Path:
        """Where the extract step stores batch number `index`."""
        return self.build_dir / "batches" / f"batch-{index:05d}.jsonl"

    def batches(self, size: int) -> list[list[str]]:
        """The files to extract, in batches of `size`."""
        files = self.to_extract
        return [files[i : i + size] for i in range(0, len(files), size)]

    def bytes_to_extract(self) -> int:
        """Bytes of the files to extract, as last seen (what sizes the extraction pool)."""
        sizes = {name: stat[0] for name, (stat, _) in self.file_states.files.items()}
        return sum(sizes.get(name, 0) for name in self.to_extract)

    def record_file_states(self, leave_out: list[str]) -> None:
        """Record the files' stats for the next run, but for `leave_out` (read again then)."""
        trusted = self.file_states.trusted(self.seen_at_ns)
        for name in leave_out:
            trusted.files.pop(name, None)
        trusted.run_id = self.run_id
        trusted.save(self.target)

    def save(self, path: Path) -> Path:
        """Write the plan as JSON, for a flow that runs it (`load_plan_file`)."""
        data = asdict(self)
        data["started"] = self.started.isoformat()
        data["cache_keys"] = sorted(self.cache_keys)
        data["file_states"] = {
            "run_id": self.file_states.run_id,
            "source": self.file_states.source,
            "files": {n: [*s, h] for n, (s, h) in self.file_states.files.items()},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, default=str))
        return path


@dataclass
class RunSummary:
    """What a run did, for the CLI, the artifact and tests."""

    run_id: str
    warehouse: str
    files_seen: int
    load: LoadResult | None  # None when nothing was loaded
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
    began: dict[str, float] = field(default_factory=dict)  # stage -> wall-clock time it began

    @property
    def published(self) -> bool:
        return self.problem is None


def unchanged_summary(plan: BuildPlan) -> RunSummary:
    """The summary of a run whose inputs match the published run's: nothing to do."""
    return RunSummary(
        plan.run_id,
        str(plan.target),
        len(plan.candidates),
        None,
        [],
        plan.warnings,
        seconds=(datetime.now(UTC) - plan.started).total_seconds(),
        unchanged_since=plan.unchanged_since,
    )


def not_published(target: Path, problem: str, status: int = 2) -> RunSummary:
    """The summary of a run that could not start or go on; `status` is the exit status."""
    return RunSummary("", str(target), 0, None, [], problem=problem, refusal_status=status)


def load_plan_file(path: Path) -> BuildPlan:
    """The plan `BuildPlan.save` wrote."""
    data = json.loads(Path(path).read_text())
    states = data.pop("file_states")
    optional_path = {"manifest", "dbt_state"}
    for name in ("source", "target", "build_dir", *optional_path):
        if data[name] is not None:
            data[name] = Path(data[name])
    data["started"] = datetime.fromisoformat(data["started"])
    data["cache_keys"] = set(data["cache_keys"])
    data["load_plan"] = LoadPlan(**data["load_plan"])
    files = {name: (tuple(entry[:4]), entry[4]) for name, entry in states["files"].items()}
    return BuildPlan(**data, file_states=FileStates(states["run_id"], states["source"], files))


def new_run_id(started: datetime) -> str:
    """UTC start time and a random suffix."""
    return started.strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def hash_files(
    discovery: Discovery, known: FileStates, snapshot_dir: Path
) -> tuple[dict[str, str], FileStates]:
    """sha256 of every candidate's bytes, and the stats they go with.

    A file whose stat is the one `known` records keeps its recorded hash and is not read. Any
    other is read once; its bytes go to `snapshot_dir` under their hash for extraction. A file
    that cannot be read hashes its rejection reason, as the fingerprint always did.
    """
    hashes: dict[str, str] = {}
    states: dict[str, tuple] = {}
    for candidate in discovery.candidates:
        stat = stat_of(candidate.path)  # before the read: a write after it changes the stat
        digest = known.hash_if_unchanged(candidate.source_file, stat)
        if digest is None:
            data = read_document_bytes(candidate.path, candidate.source_file)
            if isinstance(data, bytes):
                digest = content_hash(data)
                _keep_snapshot(snapshot_dir, digest, data)
            else:
                digest = content_hash(unreadable(data))
        hashes[candidate.source_file] = digest
        if stat is not None:
            states[candidate.source_file] = (stat, digest)
    return hashes, FileStates(files=states)


def _keep_snapshot(snapshot_dir: Path, digest: str, data: bytes) -> None:
    path = snapshot_dir / digest
    if path.exists():  # the same bytes under another name
        return
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def plan_build(source: Path, target: Path, manifest: Path | None, force: bool = False) -> BuildPlan:
    """Discover and fingerprint the inputs; decide between nothing, full and incremental.

    Call while holding the run lock: it clears what an earlier run left in the build folder.
    """
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    remove_leftovers(target)
    check_previous(target)
    discovery = discover_files(source, manifest)
    candidates = [candidate.source_file for candidate in discovery.candidates]
    manifest_entries = load_manifest(manifest, set(candidates), source_root=source)
    previous = last_fingerprint(target)
    known = load_file_states(target, previous[0] if previous else None, source)
    seen_at = now_ns()
    build_dir = build_dir_for(target)
    hashes, states = hash_files(discovery, known, build_dir / "inputs")
    states.source = str(source)
    fingerprint = input_fingerprint(discovery, manifest, hashes)
    entries = {name: manifest_entries.entries.get(name) for name in candidates}
    plan = BuildPlan(
        run_id=run_id,
        started=started,
        source=source,
        target=target,
        manifest=manifest,
        build_dir=build_dir,
        candidates=candidates,
        to_extract=candidates,
        fingerprint=fingerprint,
        warnings=manifest_entries.warnings,
        rejected=[_rejected_file_row(run_id, rejection) for rejection in discovery.rejections],
        cache_keys=set(),
        load_plan=LoadPlan(input_keys={n: input_key(hashes[n], entries[n]) for n in candidates}),
        hashes=hashes,
        file_states=states,
        seen_at_ns=seen_at,
    )
    if previous and previous[1] == fingerprint and not force:
        plan.unchanged_since = previous[0]
        plan.to_extract = []
        shutil.rmtree(build_dir, ignore_errors=True)  # snapshots of files touched, not changed
        trusted = states.trusted(seen_at)
        if trusted.files != known.files:
            trusted.run_id = previous[0]
            trusted.save(target)
        return plan
    from strikewatch.extraction_cache import ExtractionCache

    plan.cache_keys = {ExtractionCache.key(hashes[name], entries[name]) for name in candidates}
    if not force:  # --force rebuilds from scratch, into a new file
        _plan_increment(plan, hashes, previous)
    return plan


def _rejected_file_row(run_id: str, rejection) -> dict:
    """A quarantine.rejected_files row (as extract_batch.rejected_file_row makes it)."""
    return {"run_id": run_id, "source_file": rejection.source_file, "reason": rejection.reason}


def _plan_increment(
    plan: BuildPlan, hashes: dict[str, str], previous: tuple[str, str] | None
) -> None:
    """Work on a copy of the published warehouse, keeping the rows of unchanged files.

    Only when the published tables have the current layout; its views and any model that did not
    change then stand as they are.
    """
    from strikewatch.dbt_build import trusted_state
    from strikewatch.fingerprint import published_input_keys
    from strikewatch.warehouse import dbt_state_path_for, has_current_layout

    published_keys = published_input_keys(plan.target)
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

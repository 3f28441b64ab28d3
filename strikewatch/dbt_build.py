"""The dbt step: `dbt build` of sql/ in this process, against the build file before it is published.

dbt writes its target/ and logs/ into the run's build folder, never into sql/. Its parse cache
and the manifest of the last published build are kept beside the warehouse (the dbt state
folder), so that a run reparses only changed files and, on a copy of the published warehouse,
recreates only the models that changed (and what reads them) while every data test still runs.

A structural test that fails, or a model that errors, fails the step: the builder then publishes
nothing. Plausibility tests (severity warn) never fail it; their counts come back as warnings.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from strikewatch.atomic_file import replace_atomically
from strikewatch.fingerprint import model_files
from strikewatch.settings import SQL_DIR, Settings

DATABASE_VARIABLE = "STRIKEWATCH_DBT_DATABASE"  # read by sql/profiles.yml
MANAGED_SCHEMAS = ("staging", "intermediate", "marts")
FAILING_ROWS_SHOWN = 10
_one_invocation_at_a_time = threading.Lock()  # dbt keeps global state per process


@dataclass
class TestFailure:
    """A data test that failed (or warned), or a model that did not build."""

    name: str
    kind: str  # "test" or "model"
    message: str
    failures: int = 0
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    sql: str | None = None  # the test's compiled query, to read its failing rows

    def describe(self) -> str:
        """The failure for a person: name, what went wrong, and the first failing rows."""
        lines = [f"{self.kind} {self.name}: {self.message}"]
        if self.rows:
            lines.append("  " + " | ".join(self.columns))
            lines += ["  " + " | ".join(_cell(value) for value in row) for row in self.rows]
            if self.failures > len(self.rows):
                lines.append(f"  ... {self.failures - len(self.rows)} more")
        return "\n".join(lines)


@dataclass
class DbtOutcome:
    """What `dbt build` did to a build file."""

    seconds: float
    models_built: list[str] = field(default_factory=list)
    tests_run: int = 0
    failures: list[TestFailure] = field(default_factory=list)
    warnings: dict[str, int] = field(default_factory=dict)  # plausibility test -> rows flagged

    @property
    def ok(self) -> bool:
        return not self.failures


def _cell(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:77] + "..."


def dbt_arguments(command: str, work_dir: Path) -> list[str]:
    """The dbt command line for this project, with target/ and logs/ under work_dir."""
    return [
        command,
        "--project-dir",
        str(SQL_DIR),
        "--profiles-dir",
        str(SQL_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--log-level",
        "none",
        "--log-level-file",
        "info",
    ]


# The builder keeps dbt's manifest itself (save_state) and lists only the schemas it builds in.
BUILD_FLAGS = ["--no-write-json", "--no-populate-cache"]


def invoke_dbt(arguments: list[str], database: Path, manifest=None):
    """Run one dbt command in this process against `database`; returns dbt's result object.

    With a parsed manifest (from `parsed_manifest`), dbt skips parsing the project.
    """
    from dbt.cli.main import dbtRunner

    with _one_invocation_at_a_time:
        previous = os.environ.get(DATABASE_VARIABLE)
        os.environ[DATABASE_VARIABLE] = str(database)
        try:
            return dbtRunner(manifest=manifest).invoke(arguments)
        finally:
            _close_database()
            if previous is None:
                os.environ.pop(DATABASE_VARIABLE, None)
            else:
                os.environ[DATABASE_VARIABLE] = previous


def _close_database() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the process (`keep_open` in
    sql/profiles.yml, which spares a reopen per model and test).

    Otherwise the build file would stay open until the process exits: a later run in this
    process, or a child it forks, would be handed the old file by DuckDB's instance cache.
    dbt-duckdb has no public call for this; its connection manager holds the environment.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if environment is not None:
            environment.close()


# (project digest, database name) -> dbt manifest: parsed once per process. The manifest names
# the database (catalog), which DuckDB takes from the file name, hence the second key.
_parsed: dict[tuple[str, str], object] = {}
_one_parse_at_a_time = threading.Lock()  # a warm-up parse and the dbt step never both parse


def project_digest() -> str:
    """sha256 of the dbt project's files: a parsed manifest is reused while it is unchanged."""
    digest = hashlib.sha256()
    for path in model_files():
        digest.update(str(path.relative_to(SQL_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def parsed_manifest(database: Path, work_dir: Path, parse_cache: Path | None = None):
    """The project's parsed manifest: from this process's last parse, from the stored parse of
    this project (see `_stored_manifest_path`), or parsed now.

    `parse_cache` is dbt's partial-parse file of an earlier run, which makes parsing quicker.
    Raises DbtProjectBroken when the project does not parse.
    """
    key = (project_digest(), database.stem)
    with _one_parse_at_a_time:
        if key in _parsed:
            return _parsed[key]
        stored = _stored_manifest_path(key)
        manifest = _read_manifest(stored)
        if manifest is None:
            arguments = dbt_arguments("parse", work_dir)
            if parse_cache is not None and parse_cache.exists():
                arguments += ["--partial-parse-file-path", str(parse_cache)]
            result = invoke_dbt(arguments, database)
            if not result.success or result.result is None:
                raise DbtProjectBroken(f"{type(result.exception).__name__}: {result.exception}")
            manifest = result.result
            _store_manifest(manifest, stored)
        _parsed[key] = manifest
        return manifest


def _stored_manifest_path(key: tuple[str, str]) -> Path:
    """Where the parsed manifest of this project, database name and dbt version is kept.

    dbt's own partial parse is valid for one database path only (its profile check includes
    the path), so a new warehouse would parse the project in full (seconds); the parsed
    manifest depends on the project's files, the database name and the versions, not the path.
    """
    from dbt.adapters.duckdb.__version__ import version as duckdb_adapter_version
    from dbt.version import __version__ as dbt_version

    parts = (*key, str(SQL_DIR), dbt_version, duckdb_adapter_version)
    name = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]
    return Settings().dbt_parse_cache / f"manifest-{name}.msgpack"


def _read_manifest(path: Path):
    """The manifest stored at `path`, or None when there is none that reads."""
    from dbt.contracts.graph.manifest import Manifest
    from dbt.parser.manifest import extended_mashumuro_decoder

    try:
        manifest = Manifest.from_msgpack(path.read_bytes(), decoder=extended_mashumuro_decoder)
    except Exception:  # missing, unreadable, or from another dbt: parse instead
        return None
    manifest.build_flat_graph()  # as dbt does after a parse
    return manifest


def _store_manifest(manifest, path: Path) -> None:
    """Keep the parsed manifest for later runs (best effort: a read-only folder only costs
    them a parse). Replaced atomically, so that a concurrent run reads a whole file or none."""
    from dbt.parser.manifest import extended_mashumaro_encoder

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(
            path,
            lambda partial: partial.write_bytes(manifest.to_msgpack(extended_mashumaro_encoder)),
        )
        for older in path.parent.glob("manifest-*"):
            if older.stem != path.stem and time.time() - older.stat().st_mtime > STORED_DAYS:
                older.unlink(missing_ok=True)


STORED_DAYS = 7 * 86400  # stored parses of other versions of the project go after a week


class DbtProjectBroken(RuntimeError):
    """The dbt project in sql/ does not parse."""


def warm_up(database: Path, work_dir: Path, parse_cache: Path | None = None) -> threading.Thread:
    """Import dbt and parse the project in a background thread, while the run does other work.

    dbt's import and parse take seconds of Python; started early they overlap the run's waits
    (Prefect's API, file reads, DuckDB). run_dbt_build uses the parsed manifest if it is ready,
    and parses itself if the warm-up failed.
    """

    def parse() -> None:
        with contextlib.suppress(Exception):  # the dbt step reports a broken project itself
            parsed_manifest(database, work_dir, parse_cache)
            _build_config_schemas()

    thread = threading.Thread(target=parse, name="dbt-warm-up", daemon=True)
    thread.start()
    return thread


def _build_config_schemas() -> None:
    """Build the JSON schemas dbt validates its project and profile against (about a second of
    Python, which a process otherwise pays in its first dbt command; each is kept per class)."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials
    from dbt.contracts.project import Configuration, PackageConfig, Project, ProjectFlags
    from dbt.contracts.selection import SelectorFile

    for contract in (
        Project,
        ProjectFlags,
        PackageConfig,
        Configuration,
        DuckDBCredentials,
        SelectorFile,
    ):
        contract.json_schema()


def trusted_state(state_dir: Path, published_run_id: str | None) -> Path | None:
    """The state folder, if it describes the published warehouse (written by its run)."""
    if published_run_id is None:
        return None
    try:
        recorded = (state_dir / "run_id").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if recorded != published_run_id or not (state_dir / "manifest.json").exists():
        return None
    return state_dir


def run_dbt_build(
    database: Path, work_dir: Path, state_dir: Path, state: Path | None = None
) -> DbtOutcome:
    """`dbt build` against a build file: every model, or with `state` only the changed ones.

    `state` is a trusted state folder (see trusted_state) for a database that is a copy of the
    published warehouse: unchanged views stand as they are, and every data test runs.
    """
    started = time.perf_counter()
    outcome = DbtOutcome(seconds=0.0)
    try:
        manifest = parsed_manifest(database, work_dir, state_dir / "partial_parse.msgpack")
    except DbtProjectBroken as exc:
        outcome.failures.append(TestFailure("sql/", "project", f"does not parse: {exc}"))
        outcome.seconds = time.perf_counter() - started
        return outcome
    arguments = dbt_arguments("build", work_dir) + BUILD_FLAGS
    if state is not None:
        # every table (its data changed) and every test; views stand unless the project changed
        selection = ["config.materialized:table", "resource_type:test"]
        if not _state_is_of_this_project(state):
            # and the changed models and what reads them (dbt compares the manifests)
            selection = ["state:modified+", *selection]
            arguments += ["--state", str(state)]
        arguments += ["--select", *selection]
    result = invoke_dbt(arguments, database, manifest)
    if result.exception is not None:
        message = f"{type(result.exception).__name__}: {result.exception}"
        outcome.failures.append(TestFailure("dbt build", "project", message))
    for node_result in result.result or []:
        _record(outcome, node_result)
    if outcome.ok:
        _drop_stale_views(database, manifest)
    else:
        _fetch_failing_rows(database, outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _state_is_of_this_project(state: Path) -> bool:
    """Whether the state's manifest is of these very project files: then no model is modified,
    and dbt need not read and compare the manifest (seconds of JSON at every run)."""
    try:
        saved = (state / "project_digest").read_text(encoding="utf-8")
    except OSError:
        return False
    return saved == project_digest()


def _record(outcome: DbtOutcome, node_result) -> None:
    node = node_result.node
    status = str(node_result.status)
    if node.resource_type == "model":
        if status == "success":
            outcome.models_built.append(f"{node.schema}.{node.name}")
        elif status in ("error", "skipped"):
            outcome.failures.append(TestFailure(node.name, "model", node_result.message or status))
        return
    if node.resource_type != "test":
        return
    outcome.tests_run += 1
    failures = node_result.failures or 0
    if node.config.severity.lower() == "warn":
        outcome.warnings[node.name] = failures if status in ("warn", "pass") else -1
    if status in ("fail", "error") or (status == "skipped" and node.config.severity == "error"):
        message = node_result.message or status
        sql = getattr(node, "compiled_code", None)
        outcome.failures.append(TestFailure(node.name, "test", message, failures, sql=sql))


def _fetch_failing_rows(database: Path, outcome: DbtOutcome) -> None:
    """Read the first failing rows of each failed test from the build file."""
    failed_tests = [failure for failure in outcome.failures if failure.sql]
    if not failed_tests:
        return
    with duckdb.connect(str(database), read_only=True) as con:
        for failure in failed_tests:
            try:
                cursor = con.execute(f"select * from ({failure.sql}) limit {FAILING_ROWS_SHOWN}")
            except duckdb.Error:
                continue
            failure.columns = [column[0] for column in cursor.description]
            failure.rows = cursor.fetchall()


def _drop_stale_views(database: Path, manifest) -> None:
    """Drop relations of the managed schemas that no model defines any more (a removed model)."""
    defined = {
        (node.schema, node.alias)
        for node in manifest.nodes.values()
        if node.resource_type == "model"
    }
    with duckdb.connect(str(database)) as con:
        relations = con.execute(
            "select schema_name, view_name, 'view' from duckdb_views() "
            "where database_name = current_database() and schema_name in $s "
            "union all select schema_name, table_name, 'table' from duckdb_tables() "
            "where database_name = current_database() and schema_name in $s",
            {"s": list(MANAGED_SCHEMAS)},
        ).fetchall()
        stale = [r for r in relations if (r[0], r[1]) not in defined]
        for schema, name, kind in stale:
            con.execute(f'drop {kind} if exists "{schema}"."{name}"')
        if stale:
            con.execute("checkpoint")


def save_state(database: Path, work_dir: Path, state_dir: Path, run_id: str) -> None:
    """Keep this build's manifest and parse cache as the state of the published warehouse.

    The manifest is rewritten only when the project changed since the state was saved.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "run_id").unlink(missing_ok=True)  # untrusted until every file is in place
    digest = project_digest()
    digest_file = state_dir / "project_digest"
    saved = digest_file.read_text(encoding="utf-8") if digest_file.exists() else None
    if saved != digest or not (state_dir / "manifest.json").exists():
        _write_state_manifest(database, work_dir, state_dir / "manifest.json")
        digest_file.write_text(digest, encoding="utf-8")
    parse_cache = work_dir / "target" / "partial_parse.msgpack"
    if parse_cache.exists():  # this build parsed the project
        _copy_atomically(parse_cache, state_dir / "partial_parse.msgpack")
    (state_dir / "run_id").write_text(run_id, encoding="utf-8")


def _write_state_manifest(database: Path, work_dir: Path, path: Path) -> None:
    """dbt's manifest.json of the project at `path`: a copy of the one kept beside the stored
    parse, written once per version of the project (seconds of JSON)."""
    from dbt.parser.manifest import write_manifest

    kept = _stored_manifest_path((project_digest(), database.stem)).with_suffix(".json")
    written = kept
    if not kept.exists():
        write_manifest(parsed_manifest(database, work_dir), str(work_dir / "state"))
        written = work_dir / "state" / "manifest.json"
        with contextlib.suppress(OSError):  # best effort, as for the stored parse
            _copy_atomically(written, kept)
    _copy_atomically(written, path)


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy `source` to `target` so that a reader sees the whole file or the one before."""
    replace_atomically(target, lambda partial: shutil.copyfile(source, partial))

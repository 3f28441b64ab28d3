"""The DuckDB warehouse: tables from the pandera models, comments, atomic publish, run lock.

A run builds a new file in a build folder beside the target and `os.replace`s it over the old
one once closed, so readers see either the old warehouse or the new one, never a half-built file.
The build folder also holds the run's stored batches and dbt's target/ and logs/.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from strikewatch.settings import Settings

if TYPE_CHECKING:
    import pandas as pd

# schemas.tables (pandas, pandera) is imported where a table is made or described: the CLI's
# no-op check and its run lock must not pay for it

META_DDL = """
create schema if not exists meta;
create table if not exists meta.runs (
    run_id varchar primary key,
    started_at timestamptz,
    finished_at timestamptz,
    source_dir varchar,
    extractor_version varchar,
    files_seen integer,
    files_new integer,
    files_changed integer,
    files_removed integer,
    files_unchanged integer,
    files_quarantined integer,
    files_extracted integer,
    files_reused integer,
    rows_loaded json,
    rows_quarantined integer,
    warnings json,
    seconds double,
    input_fingerprint varchar,
    build_mode varchar,
    dbt_seconds double,
    plausibility_warnings json
);
create table if not exists meta.file_history (
    run_id varchar,
    source_file varchar,
    document_id varchar,
    change varchar
);
create table if not exists meta.source_files (
    source_file varchar primary key,
    document_id varchar,
    input_key varchar
);
"""
META_COMMENTS = {
    "meta.runs": (
        "One row per published run: what was seen, loaded and quarantined",
        {
            "run_id": "Id of the run (UTC start time and a random suffix)",
            "started_at": "When the run started",
            "finished_at": "When the warehouse was built, just before publishing",
            "source_dir": "Folder the articles were read from",
            "extractor_version": "Version of the extraction rules",
            "files_seen": "Candidate article files found",
            "files_new": "Files not in the previous warehouse",
            "files_changed": "Files whose content changed since the previous warehouse",
            "files_removed": "Files of the previous warehouse no longer in the source folder",
            "files_unchanged": "Files with the same content as in the previous warehouse",
            "files_quarantined": "Files rejected (see quarantine.rejected_files)",
            "files_extracted": "Files parsed and extracted by this run",
            "files_reused": "Files whose rows came from the extraction cache (unchanged content)",
            "rows_loaded": "Rows loaded per table, as JSON",
            "rows_quarantined": "Rows rejected by validation (see quarantine.rejected_rows)",
            "warnings": "Warnings met on the way (manifest problems and the like), as JSON",
            "seconds": "Wall time of the run up to publishing",
            "input_fingerprint": "sha256 of the inputs (files, manifest, rules, models): a run "
            "with the same fingerprint as the latest one changes nothing and is skipped",
            "build_mode": "full (a new file) or incremental (a copy of the last warehouse with "
            "the changed files' rows replaced)",
            "dbt_seconds": "Wall time of the dbt step (models and data tests)",
            "plausibility_warnings": "Rows each plausibility test flagged (dbt tests of severity "
            "warn), by test name, as JSON; the rows are flagged in the marts too",
        },
    ),
    "meta.file_history": (
        "Per run, each source file and what happened to it: new, changed, unchanged, removed",
        {
            "run_id": "Run that saw the file",
            "source_file": "Path relative to the source folder",
            "document_id": "sha256 of the file's content at that run",
            "change": "new, changed, unchanged or removed",
        },
    ),
    "meta.source_files": (
        "The files whose rows the warehouse holds now, with the key of the inputs they came from",
        {
            "source_file": "Path relative to the source folder",
            "document_id": "sha256 of the file's content",
            "input_key": "Key of everything the file's rows depend on (content, manifest entry, "
            "rules, table layout): a later run keeps the rows of a file whose key is unchanged",
        },
    ),
}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and table the pandera models and meta describe."""
    from schemas.tables import TABLES, model_columns

    for name, model in TABLES.items():
        schema, table = name.split(".")
        con.execute(f"create schema if not exists {schema}")
        columns = ", ".join(
            f"{_quote(col)} {sql_type}" for col, sql_type, _ in model_columns(model)
        )
        con.execute(f"create table if not exists {schema}.{table} ({columns})")
    con.execute(META_DDL)


def _table_layout(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    from schemas.tables import TABLES

    schemas = sorted({name.split(".")[0] for name in TABLES} | {"meta"})
    return con.execute(
        "select schema_name, table_name, column_name, data_type from duckdb_columns() "
        "where database_name = current_database() and schema_name in ? "
        "and table_name in (select table_name from duckdb_tables() "
        "where database_name = current_database()) order by all",
        [schemas],
    ).fetchall()


def connect_build_file(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a run's build file for writing.

    A new file is written in the storage version of the settings; an existing one (the copy of
    the published warehouse an incremental build works on) keeps the version it has, whoever
    opens it later (dbt, the run record).
    """
    config = {"storage_compatibility_version": Settings().storage_version}
    return duckdb.connect(str(path), config=config)


def storage_version_problem(version: str) -> str | None:
    """None when DuckDB can write `version` (v1.0.0, v1.2.0, latest ...); else why not."""
    try:
        duckdb.connect(config={"storage_compatibility_version": version}).close()
    except duckdb.Error:
        return (
            f"STRIKEWATCH_STORAGE_VERSION must name a DuckDB version whose storage format to "
            f"write (e.g. v1.0.0, v1.2.0 or latest), not {version!r}"
        )
    return None


def _storage_version_of(con: duckdb.DuckDBPyConnection) -> str:
    """The storage version the connection's database file is written in, e.g. 'v1.0.0+'."""
    return con.execute(
        "select tags['storage_version'] from duckdb_databases() "
        "where database_name = current_database()"
    ).fetchone()[0]


@cache
def _storage_version_written(version: str) -> str:
    """The storage version a new file written with the setting `version` carries."""
    with tempfile.TemporaryDirectory(prefix="strikewatch-storage-") as folder:
        probe = Path(folder) / "probe.duckdb"
        config = {"storage_compatibility_version": version}
        with duckdb.connect(str(probe), config=config) as con:
            return _storage_version_of(con)


def has_current_layout(target: Path) -> bool:
    """True when the warehouse's loaded tables have the columns and types create_tables makes,
    in the storage version of the settings.

    Only then may a build work on a copy of it; otherwise it starts from a new file.
    """
    with duckdb.connect() as expected:
        create_tables(expected)
        wanted = _table_layout(expected)
    storage = _storage_version_written(Settings().storage_version)
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            return _storage_version_of(con) == storage and _table_layout(con) == wanted
    except duckdb.Error:
        return False


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Append a validated frame to a table, matching columns by name."""
    if frame.empty:
        return 0
    con.register("incoming_frame", frame)
    try:
        con.execute(f"insert into {table} by name select * from incoming_frame")
    finally:
        con.unregister("incoming_frame")
    return len(frame)


def write_comments(con: duckdb.DuckDBPyConnection) -> None:
    """COMMENT ON every loaded table and column, from the pandera models and meta docs."""
    from schemas.tables import TABLES, model_columns, model_description

    docs: dict[str, tuple[str, dict[str, str]]] = {
        name: (model_description(model), {c: d for c, _, d in model_columns(model)})
        for name, model in TABLES.items()
    }
    docs.update(META_COMMENTS)
    for table, (description, columns) in docs.items():
        con.execute(f"comment on table {table} is {_literal(description)}")
        for column, text in columns.items():
            con.execute(f"comment on column {table}.{_quote(column)} is {_literal(text)}")


def build_dir_for(target: Path) -> Path:
    """The folder of a run's build, beside the target and hidden: removed once published.

    Its path is the same for every run of a warehouse (the run lock admits one run at a time),
    so dbt's parse cache, which depends on the database path, stays valid from run to run.
    """
    return target.with_name(f".{target.name}.build")


def build_file_in(build_dir: Path) -> Path:
    """The warehouse file a run builds inside its build folder, before publishing."""
    return build_dir / "warehouse.duckdb"


def dbt_state_path_for(target: Path) -> Path:
    """Folder holding dbt's manifest and parse cache of the last published build."""
    return target.with_name(f".{target.name}.dbt-state")


def cache_path_for(target: Path) -> Path:
    """Folder of the extraction cache that belongs to a warehouse file."""
    return target.with_name(f".{target.name}.cache")


def remove_leftovers(target: Path) -> list[Path]:
    """Delete build files and WALs that killed runs left behind; call while holding the lock."""
    removed = []
    for leftover in target.parent.glob(f".{target.name}.build*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def publish(build_path: Path, target: Path) -> None:
    """Replace the target with the closed build file in one atomic rename."""
    wal = build_path.with_name(build_path.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{build_path} still has a WAL; it was not closed cleanly")
    fd = os.open(build_path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(build_path, target)
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


RUN_IN_PROGRESS = (
    "another strikewatch run is building {}; wait for it to finish "
    "(or pass --wait to queue behind it)"
)


class RunInProgress(RuntimeError):
    """Another run holds the warehouse lock."""


_HELD_LOCKS: set[tuple[Path, int]] = set()  # (warehouse, pid): a forked child holds none


@contextmanager
def run_lock(target: Path, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock beside the warehouse for the duration of a run.

    Re-entrant within a process: a flow started by a CLI that already holds the lock goes on.
    """
    if holds_lock(target):
        yield
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path_for(target), "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise RunInProgress(RUN_IN_PROGRESS.format(target)) from exc
        held = (target, os.getpid())
        _HELD_LOCKS.add(held)
        try:
            yield
        finally:
            _HELD_LOCKS.discard(held)
            fcntl.flock(handle, fcntl.LOCK_UN)


def holds_lock(target: Path) -> bool:
    """True while this process holds the run lock of `target`."""
    return (target, os.getpid()) in _HELD_LOCKS


def lock_is_held(target: Path) -> bool:
    """True when a run holds the warehouse lock right now (a hint; run_lock decides)."""
    lock_path = lock_path_for(target)
    if not lock_path.is_file():
        return False
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


@dataclass(frozen=True)
class WarehouseProblem:
    """Why a warehouse path cannot be used, and the exit status that says so."""

    message: str
    status: int = 2


def warehouse_problem(target: Path, for_writing: bool = True) -> WarehouseProblem | None:
    """None when `target` may be used as a warehouse; else why not. Never changes anything.

    For writing (a run), `target` must be a new path in a folder the run can write, or an existing
    strikewatch warehouse, recognised by its `meta.runs` table; anything else (a document, a
    device, a folder, a damaged file, a DuckDB file of another layout) is refused, because
    publishing would replace it. For reading (report, docs, export, eval) it must exist.
    """
    target = Path(target)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not for_writing:
            return WarehouseProblem(f"no warehouse at {target}: run `strikewatch run` first")
        return _folder_problem(target.parent) or _lock_problem(target)
    except OSError as exc:
        return WarehouseProblem(f"warehouse path {target} cannot be used: {_os_error(exc)}")
    problem = _not_a_warehouse(target, info)
    if problem or not for_writing:
        return problem
    return _folder_problem(target.parent) or _lock_problem(target)


def _not_a_warehouse(target: Path, info: os.stat_result) -> WarehouseProblem | None:
    """None for a strikewatch warehouse file; else what the file at `target` is instead."""
    refused = "; it is left as it is: choose another --warehouse path"
    if stat.S_ISDIR(info.st_mode):
        return WarehouseProblem(f"warehouse path {target} is a folder, not a warehouse file")
    if not stat.S_ISREG(info.st_mode):
        return WarehouseProblem(
            f"warehouse path {target} is not a regular file (a device, pipe or socket){refused}"
        )
    try:
        with open(target, "rb") as handle:
            header = handle.read(12)
    except OSError as exc:
        return WarehouseProblem(f"warehouse {target} cannot be read: {_os_error(exc)}")
    if header[8:12] != DUCKDB_MAGIC:
        return WarehouseProblem(f"{target} is not a strikewatch warehouse (not DuckDB){refused}")
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            has_runs = con.execute(
                "select count(*) from duckdb_tables() "
                "where schema_name = 'meta' and table_name = 'runs'"
            ).fetchone()[0]
    except duckdb.Error as exc:
        return _unreadable(target, exc)
    if not has_runs:
        return WarehouseProblem(
            f"{target} is a DuckDB database but not a strikewatch warehouse (it has no "
            f"meta.runs table){refused}"
        )
    return None


def _unreadable(target: Path, exc: duckdb.Error) -> WarehouseProblem:
    """Why DuckDB could not open the warehouse: held for writing elsewhere (3), or damaged (2)."""
    message = str(exc)
    if "Conflicting lock" in message or "Could not set lock" in message:
        return WarehouseProblem(
            f"warehouse {target} is open for writing in another program; close it there "
            "(readers should open it read-only)",
            status=3,
        )
    first_line = message.splitlines()[0] if message else type(exc).__name__
    return WarehouseProblem(
        f"{target} is a damaged or unreadable DuckDB file ({first_line}); it is left as it is: "
        "choose another --warehouse path"
    )


def _folder_problem(folder: Path) -> WarehouseProblem | None:
    """None when a run can create files in `folder` (made later if missing); else why not."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return WarehouseProblem(f"warehouse folder {folder} cannot be made: {existing} is a file")
    try:  # a real write, the only test that holds for root, read-only mounts and ACLs alike
        descriptor, probe = tempfile.mkstemp(prefix=".strikewatch-probe-", dir=existing)
    except OSError as exc:
        return WarehouseProblem(f"cannot write in warehouse folder {existing}: {_os_error(exc)}")
    os.close(descriptor)
    os.unlink(probe)
    return None


def _lock_problem(target: Path) -> WarehouseProblem | None:
    """None when the run lock beside `target` is absent or a file the run can open."""
    lock_path = lock_path_for(target)
    try:
        info = os.stat(lock_path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return WarehouseProblem(f"lock file {lock_path} cannot be used: {_os_error(exc)}")
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return WarehouseProblem(f"lock file {lock_path} is {kind}; remove it and run again")
    try:
        os.close(os.open(lock_path, os.O_RDWR | os.O_APPEND))
    except OSError as exc:
        return WarehouseProblem(f"lock file {lock_path} cannot be opened: {_os_error(exc)}")
    return None


def _os_error(exc: OSError) -> str:
    """Short lower-case description of an OS error, e.g. 'permission denied'."""
    if exc.errno == errno.EACCES:
        return "permission denied"
    message = exc.strerror or type(exc).__name__
    return message[0].lower() + message[1:]


def lock_path_for(target: Path) -> Path:
    """The lock file beside a warehouse."""
    return target.with_name(f".{target.name}.lock")


class WarehouseUnavailable(RuntimeError):
    """The published warehouse exists but cannot be read: nothing may be published over it.

    Taking it for "no previous warehouse" would reset meta.runs and meta.file_history.
    """

    def __init__(self, problem: WarehouseProblem) -> None:
        super().__init__(f"{problem.message}; its history would be lost")
        self.status = problem.status


def check_previous(target: Path) -> None:
    """Raise WarehouseUnavailable unless `target` is absent or a warehouse this run can read.

    Called under the run lock, before planning: preflight's check may be minutes old (--wait).
    """
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        problem = WarehouseProblem(f"warehouse path {target} cannot be used: {_os_error(exc)}")
        raise WarehouseUnavailable(problem) from None
    if problem := _not_a_warehouse(target, info):
        raise WarehouseUnavailable(problem)


def open_previous(con: duckdb.DuckDBPyConnection, target: Path) -> bool:
    """Attach the published warehouse read-only as `previous`; False when there is none.

    Raises WarehouseUnavailable when there is one that cannot be opened (another program holds
    it for writing, or it is damaged): never "no previous warehouse".
    """
    if not os.path.lexists(target):
        return False
    try:
        con.execute(f"attach {_literal(str(target))} as previous (read_only)")
    except duckdb.Error as exc:
        raise WarehouseUnavailable(_unreadable(target, exc)) from exc
    return True


__all__ = [
    "RunInProgress",
    "WarehouseProblem",
    "WarehouseUnavailable",
    "build_dir_for",
    "build_file_in",
    "cache_path_for",
    "check_previous",
    "connect_build_file",
    "dbt_state_path_for",
    "has_current_layout",
    "create_tables",
    "holds_lock",
    "insert_frame",
    "lock_is_held",
    "lock_path_for",
    "open_previous",
    "publish",
    "remove_leftovers",
    "run_lock",
    "storage_version_problem",
    "warehouse_problem",
    "write_comments",
]

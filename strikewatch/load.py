"""Load stored batches into the build database: validate, quarantine, record history and the run."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from schemas.tables import TABLES
from strikewatch.pipeline import drop_duplicate_documents, read_batches, validate_table
from strikewatch.warehouse import create_tables, insert_frame, open_previous, write_comments


@dataclass
class LoadResult:
    """What the load step put in the build database."""

    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_quarantined: int = 0
    files_loaded: int = 0
    files_quarantined: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    files_extracted: int = 0
    files_reused: int = 0
    history_carried: bool = False
    rejected_files: list[dict] = field(default_factory=list)


def load_build(
    build_path: Path,
    batch_paths: list[Path],
    run_id: str,
    target: Path,
    extra_rejections: list[dict],
) -> LoadResult:
    """Validate every table's rows and load them, with quarantine and file history."""
    batch = read_batches(batch_paths)
    batch.rows["quarantine.rejected_files"].extend(extra_rejections)
    rows = drop_duplicate_documents(batch.rows, run_id)
    result = LoadResult(files_extracted=len(batch.extracted), files_reused=len(batch.reused))
    con = duckdb.connect(str(build_path))
    try:
        create_tables(con)
        rejected_rows = []
        for table in TABLES:
            if table.startswith("quarantine."):
                continue
            validated = validate_table(table, rows[table], run_id)
            result.rows_loaded[table] = insert_frame(con, table, validated.frame)
            rejected_rows.extend(validated.rejected)
        rows["quarantine.rejected_rows"].extend(rejected_rows)
        for table in ("quarantine.rejected_rows", "quarantine.rejected_files"):
            frame = validate_table(table, rows[table], run_id).frame
            result.rows_loaded[table] = insert_frame(con, table, frame)
        result.rows_quarantined = len(rejected_rows)
        result.files_quarantined = len(rows["quarantine.rejected_files"])
        rejected_files = sorted(rows["quarantine.rejected_files"], key=lambda r: r["source_file"])
        result.rejected_files = [
            {"source_file": r["source_file"], "reason": r["reason"]} for r in rejected_files
        ]
        result.files_loaded = result.rows_loaded["raw.documents"]
        result.history_carried = _record_file_history(con, run_id, target, result)
        write_comments(con)
        con.execute("checkpoint")
    finally:
        con.close()
    return result


def _record_file_history(
    con: duckdb.DuckDBPyConnection, run_id: str, target: Path, result: LoadResult
) -> bool:
    has_previous = open_previous(con, target)
    previous_sql = (
        "select source_file, document_id from previous.raw.documents"
        if has_previous
        else "select null::varchar as source_file, null::varchar as document_id where false"
    )
    con.execute(
        f"""
        insert into meta.file_history
        with previous_files as ({previous_sql}),
        current_files as (select source_file, document_id from raw.documents),
        compared as (
            select
                coalesce(c.source_file, p.source_file) as source_file,
                coalesce(c.document_id, p.document_id) as document_id,
                case
                    when p.source_file is null then 'new'
                    when c.source_file is null then 'removed'
                    when p.document_id = c.document_id then 'unchanged'
                    else 'changed'
                end as change
            from current_files as c
            full outer join previous_files as p using (source_file)
        )
        select ?, source_file, document_id, change from compared
        """,
        [run_id],
    )
    counts = dict(
        con.execute(
            "select change, count(*) from meta.file_history where run_id = ? group by change",
            [run_id],
        ).fetchall()
    )
    result.files_new = counts.get("new", 0)
    result.files_changed = counts.get("changed", 0)
    result.files_unchanged = counts.get("unchanged", 0)
    result.files_removed = counts.get("removed", 0)
    if has_previous:
        for table in ("meta.runs", "meta.file_history"):
            # an older warehouse without this table: history starts here
            with contextlib.suppress(duckdb.Error):
                con.execute(f"insert into {table} by name select * from previous.{table}")
        con.execute("detach previous")
    return has_previous


@dataclass
class RunRecord:
    """The meta.runs row of one run."""

    run_id: str
    started_at: datetime
    source_dir: str
    extractor_version: str
    files_seen: int
    load: LoadResult
    warnings: list[str]
    input_fingerprint: str
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


def record_run(build_path: Path, record: RunRecord) -> None:
    """Append this run to meta.runs in the build database."""
    load = record.load
    con = duckdb.connect(str(build_path))
    try:
        con.execute(
            "insert into meta.runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                record.run_id,
                record.started_at,
                record.finished_at,
                record.source_dir,
                record.extractor_version,
                record.files_seen,
                load.files_new,
                load.files_changed,
                load.files_removed,
                load.files_unchanged,
                load.files_quarantined,
                load.files_extracted,
                load.files_reused,
                json.dumps(load.rows_loaded),
                load.rows_quarantined,
                json.dumps(record.warnings),
                record.seconds,
                record.input_fingerprint,
            ],
        )
        con.execute("checkpoint")
    finally:
        con.close()

"""The load step: stored batches into the build database, validated, with quarantine and history.

A full load fills a new, empty build file. An incremental load works on a copy of the published
warehouse: it deletes the rows of the files it replaces (changed, new, removed or previously
quarantined) and appends theirs, so its cost follows the change, not the corpus.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from schemas.tables import TABLES
from strikewatch.document_rows import Rows
from strikewatch.extract_batch import read_batch_index, read_batches
from strikewatch.ingest import DecodedDocument, duplicate_reason, find_duplicates
from strikewatch.plan import LoadPlan
from strikewatch.validate import validate_table
from strikewatch.warehouse import (
    connect_build_file,
    create_tables,
    insert_frame,
    open_previous,
    write_comments,
)

CONTENT_TABLES = [name for name in TABLES if not name.startswith("quarantine.")]


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
    files_kept: int = 0  # files whose rows an incremental load kept from the published warehouse
    history_carried: bool = False
    rejected_files: list[dict] = field(default_factory=list)
    changed_during_run: list[str] = field(default_factory=list)  # read other bytes than planned


def drop_duplicate_documents(
    rows: Rows, run_id: str, published: dict[str, str] | None = None
) -> Rows:
    """Keep one file of each content, quarantine the other copies: the file the published
    warehouse holds with that content (`published`: source_file -> document_id), else the first
    by name."""
    documents = (DecodedDocument(**row) for row in rows["extracted.documents"])
    copies = find_duplicates(documents, published)
    if not copies:
        return rows
    kept = {
        table: [row for row in table_rows if row.get("source_file") not in copies]
        for table, table_rows in rows.items()
        if not table.startswith("quarantine.")
    }
    kept["quarantine.rejected_files"] = rows["quarantine.rejected_files"] + [
        {"run_id": run_id, "source_file": copy, "reason": duplicate_reason(original)}
        for copy, original in sorted(copies.items())
    ]
    kept["quarantine.rejected_rows"] = rows["quarantine.rejected_rows"]
    return kept


LOAD_CHUNK_FILES = 2000  # files validated and inserted together: pandera costs ~50 ms a call
# DuckDB's buffer pool while loading (its default is 80% of RAM): without a limit it keeps every
# row inserted in memory, so the load would grow with the corpus; past it, DuckDB writes out.
LOAD_MEMORY_LIMIT = "128MB"


def load_build(
    build_path: Path,
    batch_paths: list[Path],
    run_id: str,
    target: Path,
    extra_rejections: list[dict],
    plan: LoadPlan | None = None,
) -> LoadResult:
    """Validate every table's rows and load them, with quarantine and file history.

    The batches are loaded a chunk at a time, so memory holds one chunk's rows, not the run's.
    """
    plan = plan or LoadPlan()
    index = read_batch_index(batch_paths)
    con = connect_build_file(build_path)
    try:
        # an incremental build works on a copy of the published warehouse: its documents
        published = _documents(con) if plan.incremental else published_documents(target)
        copies = _duplicate_copies(index.documents, run_id, published)
        result = LoadResult(
            files_extracted=len(index.extracted),
            files_reused=len(index.reused),
            changed_during_run=sorted(index.changed_during_run),
        )
        quarantined: Rows = {"quarantine.rejected_rows": [], "quarantine.rejected_files": []}
        quarantined["quarantine.rejected_files"].extend(extra_rejections)
        quarantined["quarantine.rejected_files"].extend(copies.values())
        con.execute(f"set memory_limit = '{LOAD_MEMORY_LIMIT}'")
        if plan.incremental:
            previous_files = _remove_replaced_rows(con, plan.replaced_files, run_id)
        else:
            # one transaction: DDL and comments committed one by one cost seconds
            con.execute("begin")
            create_tables(con)
            write_comments(con)
            con.execute("commit")
            previous_files = None
        loaded_documents = 0
        for chunk in _chunks(batch_paths, index.files_per_batch):
            rows = read_batches(chunk).rows
            loaded_documents += sum(
                row["source_file"] not in copies for row in rows["extracted.documents"]
            )
            for table in CONTENT_TABLES:
                kept = (row for row in rows.pop(table) if row.get("source_file") not in copies)
                table_rows = list(kept)
                validated = validate_table(table, table_rows, run_id)
                del table_rows  # the frame holds them now: one table's rows at a time
                insert_frame(con, table, validated.frame)
                quarantined["quarantine.rejected_rows"].extend(validated.rejected)
                del validated
            for table in quarantined:
                quarantined[table].extend(rows[table])
        for table, table_rows in quarantined.items():
            insert_frame(con, table, validate_table(table, table_rows, run_id).frame)
        result.rows_loaded = {
            table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in TABLES
        }
        result.rows_quarantined = result.rows_loaded["quarantine.rejected_rows"]
        result.files_quarantined = result.rows_loaded["quarantine.rejected_files"]
        result.rejected_files = [
            {"source_file": source_file, "reason": reason}
            for source_file, reason in con.execute(
                "select source_file, reason from quarantine.rejected_files order by source_file"
            ).fetchall()
        ]
        result.files_loaded = result.rows_loaded["extracted.documents"]
        result.files_kept = result.files_loaded - loaded_documents
        result.history_carried = _record_file_history(con, run_id, target, previous_files, result)
        # a file rewritten during the run has no input key: the next run reads it again
        changed = set(result.changed_during_run)
        _record_source_files(
            con, {name: key for name, key in plan.input_keys.items() if name not in changed}
        )
        con.execute("checkpoint")
    finally:
        con.close()
    return result


def _duplicate_copies(
    documents: list[tuple[str, str]], run_id: str, published: dict[str, str]
) -> dict[str, dict]:
    """source_file -> quarantine row of every copy of bytes another file keeps."""
    rows = {table: [] for table in TABLES}
    rows["extracted.documents"] = [
        {"source_file": name, "document_id": digest, "bytes": 0, "encoding": "", "text": ""}
        for name, digest in documents
    ]
    kept = drop_duplicate_documents(rows, run_id, published)
    return {row["source_file"]: row for row in kept["quarantine.rejected_files"]}


def _chunks(batch_paths: list[Path], files_per_batch: int) -> list[list[Path]]:
    """The batches in groups of about LOAD_CHUNK_FILES files."""
    size = max(1, LOAD_CHUNK_FILES // max(1, files_per_batch))
    return [batch_paths[i : i + size] for i in range(0, len(batch_paths), size)]


def published_documents(target: Path) -> dict[str, str]:
    """source_file -> document_id of the files the published warehouse holds ({} when none)."""
    with duckdb.connect() as con:
        attached = open_previous(con, target)
        if not attached or not _has_table(con, "previous", "extracted", "documents"):
            return {}
        return _documents(con, "previous.")


def _documents(con: duckdb.DuckDBPyConnection, database: str = "") -> dict[str, str]:
    """source_file -> document_id of extracted.documents, of attached `database` (`previous.`)."""
    rows = con.execute(f"select source_file, document_id from {database}extracted.documents")
    return dict(rows.fetchall())


def _remove_replaced_rows(
    con: duckdb.DuckDBPyConnection, replaced_files: list[str], run_id: str
) -> str:
    """Delete the replaced files' rows from a copy of the published warehouse.

    Returns the name of a temporary table of the files the copy held before, for file history.
    Quarantined files are always reprocessed, so their rows go whatever the plan says; the rows
    validation rejected from kept files stay, stamped with this run like a full rebuild's.
    """
    con.execute(
        "create temporary table previous_files as "
        "select source_file, document_id from extracted.documents"
    )
    con.execute("create temporary table replaced_files (source_file varchar)")
    if replaced_files:
        con.executemany("insert into replaced_files values (?)", [[f] for f in replaced_files])
    for table in CONTENT_TABLES:
        con.execute(
            f"delete from {table} where source_file in (select source_file from replaced_files)"
        )
    con.execute("delete from quarantine.rejected_files")
    con.execute(
        "delete from quarantine.rejected_rows "
        "where source_file in (select source_file from replaced_files)"
    )
    con.execute("update quarantine.rejected_rows set run_id = ?", [run_id])
    return "previous_files"


def _record_file_history(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    target: Path,
    previous_files: str | None,
    result: LoadResult,
) -> bool:
    """Add what happened to each file to meta.file_history; True when there was a previous
    warehouse. `previous_files` names a table of the files the copy held (incremental load);
    otherwise the published warehouse is attached and its files and history are carried over."""
    attached = previous_files is None and open_previous(con, target)
    if attached and _has_table(con, "previous", "extracted", "documents"):
        previous_files = "previous.extracted.documents"
    had_previous = attached or previous_files is not None
    previous_sql = (
        f"select source_file, document_id from {previous_files}"
        if previous_files
        else "select null::varchar as source_file, null::varchar as document_id where false"
    )
    con.execute(
        f"""
        insert into meta.file_history
        with previous_files as ({previous_sql}),
        current_files as (select source_file, document_id from extracted.documents),
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
    if attached:
        for table in ("meta.runs", "meta.file_history"):
            # an older warehouse without this table: history starts here
            with contextlib.suppress(duckdb.Error):
                con.execute(f"insert into {table} by name select * from previous.{table}")
        con.execute("detach previous")
    return had_previous


def _has_table(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() "
            "where database_name = ? and schema_name = ? and table_name = ?",
            [database, schema, table],
        ).fetchone()[0]
    )


def _record_source_files(con: duckdb.DuckDBPyConnection, input_keys: dict[str, str]) -> None:
    """Replace meta.source_files with the files the warehouse now holds and their input keys."""
    keys = pd.DataFrame(
        {"source_file": list(input_keys), "input_key": list(input_keys.values())},
        columns=["source_file", "input_key"],
    ).astype("string")
    con.execute("delete from meta.source_files")
    con.register("input_keys", keys)
    try:
        con.execute(
            """
            insert into meta.source_files
            select documents.source_file, documents.document_id, input_keys.input_key
            from extracted.documents as documents
            left join input_keys using (source_file)
            """
        )
    finally:
        con.unregister("input_keys")

"""Helpers for tests that build warehouses: the builder in this process, in a child process, or
through the `strikewatch` command; and table contents to compare warehouses by."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from schemas.tables import TABLES
from strikewatch.build import RunSummary, build_warehouse, no_progress, print_progress

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(path.name for path in SEEDS.glob("*.txt"))
CONTENT_TABLES = [name for name in TABLES if not name.startswith("quarantine.")]
# Columns that differ from run to run by design: ids and timings of the run itself.
PER_RUN_COLUMNS = {"run_id", "started_at", "finished_at", "seconds", "dbt_seconds", "build_mode"}


def build(source: Path, warehouse: Path, **options) -> RunSummary:
    """The builder, in this process, quietly; the manifest is SOURCE/sources.csv if present."""
    manifest = source / "sources.csv"
    options.setdefault("progress", no_progress)
    return build_warehouse(source, warehouse, manifest if manifest.exists() else None, **options)


def _child(source: Path, warehouse: Path, lines, options: dict) -> None:
    def progress(message: str) -> None:
        lines.put(message)

    summary = build(source, warehouse, progress=progress, **options)
    lines.put(("done", summary.published, summary.problem))


def start_build_process(source: Path, warehouse: Path, **options):
    """The builder in a forked child process, which inherits this one's imports and parsed dbt
    project; returns (process, queue of its progress lines, then ("done", published, problem))."""
    context = multiprocessing.get_context("fork")
    lines = context.Queue()
    process = context.Process(target=_child, args=(source, warehouse, lines, options))
    process.start()
    return process, lines


def finish_build(process, lines, timeout: float = 600) -> tuple[list[str], bool, str | None]:
    """Wait for a build process: (its progress lines, whether it published, its problem)."""
    messages = []
    while True:
        line = lines.get(timeout=timeout)
        if isinstance(line, tuple):
            process.join(timeout)
            return messages, line[1], line[2]
        messages.append(line)


@dataclass
class CommandRun:
    """What `strikewatch ...` returned and printed."""

    status: int
    stdout: str
    stderr: str


def run_command_with_builder(*args: str) -> CommandRun:
    """`strikewatch ARGS` through strikewatch.cli.main in this process, the builder standing in
    for the Prefect flow (tests/test_orchestration.py and the guards that need it run the flow
    itself): the command's checks, planning and summary, without Prefect's start-up."""
    import strikewatch.cli

    def builder_instead_of_flow(args, settings, source, warehouse, manifest):
        manifest = manifest or strikewatch.cli._default_manifest(source)  # as _run_flow does
        return build_warehouse(
            source,
            warehouse,
            manifest,
            batch_size=args.batch_size,
            force=args.force,
            wait_for_lock=args.wait,
            progress=no_progress if args.quiet else print_progress,
            allow_shrink=args.allow_shrink,
        )

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(strikewatch.cli, "_run_flow", builder_instead_of_flow)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = strikewatch.cli.main(list(args))
    return CommandRun(status, out.getvalue(), err.getvalue())


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 600):
    """`strikewatch ARGS` in a fresh process, from the root folder: paths must not depend on it."""
    return subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd="/",
        env=env if env is not None else dict(os.environ),
    )


def table_contents(
    warehouse: Path,
    schemas: tuple[str, ...] = ("extracted", "quarantine", "meta"),
    files: list[str] | None = None,
) -> dict[str, list[tuple]]:
    """Rows of every table and view of the schemas, sorted, without per-run columns.

    With `files`, only the rows of those source files (relations with a source_file column).
    """
    contents = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relations = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name in $s "
            "union all select schema_name || '.' || view_name from duckdb_views() "
            "where database_name = current_database() and schema_name in $s order by 1",
            {"s": list(schemas)},
        ).fetchall()
        for (relation,) in relations:
            if relation in ("meta.runs", "meta.file_history"):
                continue  # one row per run: differs between two warehouses by design
            columns = [
                row[0]
                for row in con.execute(f"describe {relation}").fetchall()
                if row[0] not in PER_RUN_COLUMNS
            ]
            if files is not None and "source_file" not in columns:
                continue
            where = "where source_file in $files" if files is not None else ""
            select = ", ".join(f'"{column}"' for column in columns)
            params = {"files": files} if files is not None else {}
            rows = con.execute(f"select {select} from {relation} {where}", params).fetchall()
            contents[relation] = sorted(rows, key=repr)
    return contents


def document_count(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from extracted.documents").fetchone()[0]

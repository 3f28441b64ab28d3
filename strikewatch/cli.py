"""The strikewatch command line: `strikewatch --help` lists the commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from strikewatch.settings import Settings, configure_prefect
from strikewatch.warehouse import RUN_IN_PROGRESS, lock_is_held


def _run(args: argparse.Namespace) -> int:
    settings = Settings()
    source = (args.source or settings.source_dir).resolve()
    warehouse = (args.warehouse or settings.warehouse_path).resolve()
    # Fail fast, before Prefect starts; the flow checks both again.
    if not source.is_dir():
        print(
            f"strikewatch: nothing published: source folder {source} does not exist",
            file=sys.stderr,
        )
        return 2
    if not args.wait and lock_is_held(warehouse):
        print(
            f"strikewatch: nothing published: {RUN_IN_PROGRESS.format(warehouse)}", file=sys.stderr
        )
        return 3
    summary = _run_flow(args)
    if not summary.published:
        print(f"strikewatch: nothing published: {summary.problem}", file=sys.stderr)
        if summary.test_failures:
            return 4
        return 3 if summary.problem == RUN_IN_PROGRESS.format(warehouse) else 2
    if summary.unchanged_since:
        print(
            f"Nothing changed since run {summary.unchanged_since}: {summary.warehouse} stands "
            f"as it is ({summary.files_seen} files checked in {summary.seconds:.1f} s; "
            "--force rebuilds it)"
        )
        return 0
    load = summary.load
    print(
        f"Published {summary.warehouse} in {summary.seconds:.1f} s (run {summary.run_id}, "
        f"{summary.build_mode} build, dbt {summary.dbt_seconds:.1f} s)"
    )
    print(
        f"Files: {summary.files_seen} seen, {load.files_new} new, {load.files_changed} changed, "
        f"{load.files_unchanged} unchanged, {load.files_removed} removed, "
        f"{load.files_quarantined} quarantined; {load.files_extracted} extracted, "
        f"{load.files_reused} from cache"
    )
    print("Rows loaded:")
    for table, count in load.rows_loaded.items():
        print(f"  {table:<28} {count:>7}")
    print(f"Rows quarantined: {load.rows_quarantined}")
    for rejected in summary.rejected_files:
        print(f"  quarantined file {rejected['source_file']}: {rejected['reason']}")
    flagged = {name: count for name, count in summary.plausibility_warnings.items() if count}
    print(f"Plausibility warnings: {sum(flagged.values())} flagged rows")
    for name, count in flagged.items():
        print(f"  {name:<40} {count:>5}  (flagged in the marts, listed in the report)")
    for warning in summary.warnings:
        print(f"Warning: {warning}")
    return 0


def _run_flow(args: argparse.Namespace):
    """Run the build_warehouse flow with the task runner the arguments ask for."""
    configure_prefect()
    from strikewatch.dbt_build import start_importing_dbt

    start_importing_dbt()  # it takes seconds, which overlap Prefect's start-up
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.build_warehouse import build_warehouse

    flow = build_warehouse
    if args.workers:
        from strikewatch.scale import process_task_runner

        flow = build_warehouse.with_options(task_runner=process_task_runner(args.workers))
    elif args.dask_address or args.dask_workers:
        from strikewatch.scale import dask_task_runner

        flow = build_warehouse.with_options(
            task_runner=dask_task_runner(args.dask_address, args.dask_workers)
        )
    # No heartbeats: a local run joins the heartbeat thread for ~1 s at exit otherwise.
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return flow(
            source_dir=str(args.source) if args.source else None,
            warehouse_path=str(args.warehouse) if args.warehouse else None,
            manifest_path=str(args.manifest) if args.manifest else None,
            batch_size=args.batch_size,
            wait_for_lock=args.wait,
            force=args.force,
            quiet=args.quiet,
        )


def _eval(args: argparse.Namespace) -> int:
    from strikewatch.evaluate import main as evaluate_main

    return evaluate_main(args.gold, args.warehouse or Settings().warehouse_path)


def _docs(args: argparse.Namespace) -> int:
    from strikewatch.dictionary import write_dbt_docs, write_dictionary

    warehouse = args.warehouse or Settings().warehouse_path
    site = write_dbt_docs(warehouse, args.site)
    print(f"Wrote the dbt docs site (lineage, every model and column) to {site}")
    out = write_dictionary(warehouse, args.out, site / "manifest.json")
    print(f"Wrote {out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from strikewatch.report import write_report

    out = write_report(args.warehouse or Settings().warehouse_path, args.out)
    print(f"Wrote {out}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from strikewatch.export import export_tables

    if not (args.parquet or args.csv):
        print("strikewatch export: give --parquet DIR and/or --csv DIR", file=sys.stderr)
        return 2
    warehouse = args.warehouse or Settings().warehouse_path
    for fmt, out_dir in (("parquet", args.parquet), ("csv", args.csv)):
        if out_dir:
            written = export_tables(warehouse, out_dir, fmt)
            print(f"Wrote {len(written)} {fmt} exports under {out_dir}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    configure_prefect()
    from flows.serve import serve_flow

    settings = Settings()
    serve_flow(
        cron=args.cron or settings.schedule_cron,
        timezone=args.timezone or settings.schedule_timezone,
        source_dir=str(args.source) if args.source else None,
        warehouse_path=str(args.warehouse) if args.warehouse else None,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="strikewatch",
        description="Turn news coverage of strikes into facts with provenance in DuckDB.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="build and publish the warehouse from a folder of articles",
        description="Read article files, extract facts, validate, load and publish the warehouse.",
    )
    run.add_argument("--source", type=Path, help="folder of article files (default: seeds/)")
    run.add_argument(
        "--warehouse", type=Path, help="warehouse file (default: warehouse/strikewatch.duckdb)"
    )
    run.add_argument(
        "--manifest",
        type=Path,
        help="per-file metadata CSV (default: SOURCE/sources.csv if present)",
    )
    run.add_argument("--batch-size", type=int, default=200, help="files per extraction task")
    run.add_argument("--wait", action="store_true", help="queue behind a run already in progress")
    run.add_argument("--quiet", action="store_true", help="no progress lines")
    run.add_argument(
        "--force", action="store_true", help="rebuild even when no input changed since the last run"
    )
    run.add_argument(
        "--workers",
        type=int,
        help="extract on N local processes (pays off from a few thousand articles)",
    )
    run.add_argument(
        "--dask-address", help="run extraction on this Dask scheduler (tcp://host:port)"
    )
    run.add_argument(
        "--dask-workers", type=int, help="run extraction on a local Dask cluster of N processes"
    )
    run.set_defaults(handler=_run)

    evaluate = commands.add_parser(
        "eval",
        help="score the warehouse's facts against a gold file",
        description="Precision, recall and F1 per fact type, attribute accuracy and grounding.",
    )
    evaluate.add_argument("--gold", type=Path, required=True, help="gold facts, JSON lines")
    evaluate.add_argument("--warehouse", type=Path, help="warehouse file to score")
    evaluate.set_defaults(handler=_eval)

    docs = commands.add_parser(
        "docs",
        help="write the dbt docs site and the Markdown data dictionary",
        description="`dbt docs generate` against a copy of the warehouse: a static site with the "
        "lineage graph and every model and column; and the Markdown data dictionary.",
    )
    docs.add_argument("--warehouse", type=Path, help="warehouse file to describe")
    docs.add_argument("--out", type=Path, help="Markdown file (default: docs/data_dictionary.md)")
    docs.add_argument(
        "--site", type=Path, help="folder of the dbt docs site (default: warehouse/dbt-docs/)"
    )
    docs.set_defaults(handler=_docs)

    report = commands.add_parser(
        "report",
        help="write a self-contained HTML report of the warehouse",
        description="Charts, strike timeline, conflicts and evidence viewer in one offline file.",
    )
    report.add_argument("--warehouse", type=Path, help="warehouse file to report on")
    report.add_argument("--out", type=Path, help="HTML file (default: warehouse/report.html)")
    report.set_defaults(handler=_report)

    export = commands.add_parser(
        "export",
        help="export core tables and marts to Parquet or CSV",
        description="Parquet partitioned by the article's year and month; CSV one file per table.",
    )
    export.add_argument("--warehouse", type=Path, help="warehouse file to export")
    export.add_argument("--parquet", type=Path, metavar="DIR", help="write Parquet under DIR")
    export.add_argument("--csv", type=Path, metavar="DIR", help="write CSV files under DIR")
    export.set_defaults(handler=_export)

    serve = commands.add_parser(
        "serve",
        help="serve the flow on a cron schedule (needs a Prefect server)",
        description="Serve build_warehouse with a cron schedule until interrupted.",
    )
    serve.add_argument("--cron", help="cron expression (default: settings, 0 6 * * *)")
    serve.add_argument("--timezone", help="time zone of the schedule (default: Europe/London)")
    serve.add_argument("--source", type=Path, help="folder of article files")
    serve.add_argument("--warehouse", type=Path, help="warehouse file")
    serve.set_defaults(handler=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `strikewatch` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())

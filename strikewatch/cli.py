"""The strikewatch command line: `strikewatch --help` lists the commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from strikewatch.settings import Settings, configure_prefect


def _run(args: argparse.Namespace) -> int:
    configure_prefect()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.build_warehouse import build_warehouse

    # No heartbeats: a local run joins the heartbeat thread for ~1 s at exit otherwise.
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        summary = build_warehouse(
            source_dir=str(args.source) if args.source else None,
            warehouse_path=str(args.warehouse) if args.warehouse else None,
            manifest_path=str(args.manifest) if args.manifest else None,
            batch_size=args.batch_size,
            wait_for_lock=args.wait,
            quiet=args.quiet,
        )
    if not summary.published:
        print(f"strikewatch: nothing published: {summary.problem}", file=sys.stderr)
        return 3 if "another strikewatch run" in summary.problem else 2
    load = summary.load
    print(f"Published {summary.warehouse} in {summary.seconds:.1f} s (run {summary.run_id})")
    print(
        f"Files: {summary.files_seen} seen, {load.files_new} new, {load.files_changed} changed, "
        f"{load.files_unchanged} unchanged, {load.files_removed} removed, "
        f"{load.files_quarantined} quarantined"
    )
    print("Rows loaded:")
    for table, count in load.rows_loaded.items():
        print(f"  {table:<28} {count:>7}")
    print(f"Rows quarantined: {load.rows_quarantined}")
    for rejected in summary.rejected_files:
        print(f"  quarantined file {rejected['source_file']}: {rejected['reason']}")
    for warning in summary.warnings:
        print(f"Warning: {warning}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from strikewatch.evaluate import main as evaluate_main

    return evaluate_main(args.gold, args.warehouse or Settings().warehouse_path)


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
    run.set_defaults(handler=_run)

    evaluate = commands.add_parser(
        "eval",
        help="score the warehouse's facts against a gold file",
        description="Precision, recall and F1 per fact type, attribute accuracy and grounding.",
    )
    evaluate.add_argument("--gold", type=Path, required=True, help="gold facts, JSON lines")
    evaluate.add_argument("--warehouse", type=Path, help="warehouse file to score")
    evaluate.set_defaults(handler=_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `strikewatch` console script."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

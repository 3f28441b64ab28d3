"""The strikewatch command line: `strikewatch --help` lists the commands.

Every argument and setting is checked before work starts (`strikewatch.preflight`); a bad one is
one line on stderr and exit 2. No traceback reaches the user unless `--debug` is given.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import time
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import NoReturn

from strikewatch import preflight
from strikewatch.console import printable
from strikewatch.interrupts import InterruptGuard, interruption_signal, stop_child_processes
from strikewatch.preflight import Refusal, whole_number
from strikewatch.settings import configure_prefect
from strikewatch.timing import process_started
from strikewatch.warehouse import (
    RUN_IN_PROGRESS,
    RunInProgress,
    holds_lock,
    lock_is_held,
    remove_leftovers,
    run_lock,
)


def say(message: str) -> None:
    """One line on stderr, with anything from a file name escaped."""
    print(f"strikewatch: {printable(message)}", file=sys.stderr, flush=True)


def _remove_build_files(warehouse: Path) -> None:
    """Remove what a failed or interrupted run left beside the warehouse.

    Only while this process holds the run lock, or can take it without waiting: the files of
    another run building meanwhile are never touched.
    """
    try:
        if holds_lock(warehouse):
            remove_leftovers(warehouse)
        else:
            with run_lock(warehouse, wait=False):
                remove_leftovers(warehouse)
    except (RunInProgress, OSError):
        pass


def _end_interrupted(warehouse: Path, signum: int) -> NoReturn:
    """Remove the build files, stop the server, say so in one line, and end the process.

    The process exits without the interpreter's teardown: extraction threads may still be
    busy, and waiting for them, or for the objects they hold, is not what an interrupted user
    wants. The run lock goes with the process.
    """
    from strikewatch.prefect_server import stop_all

    _remove_build_files(warehouse)
    stop_all()
    stop_child_processes()
    name = "interrupted (Ctrl-C)" if signum == signal.SIGINT else "terminated (SIGTERM)"
    say(f"{name}: nothing published; {warehouse} is as it was")
    _exit_now(128 + signum)


def _exit_now(status: int) -> NoReturn:
    """Flush the output and end the process, skipping the interpreter's teardown."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _run(args: argparse.Namespace) -> int:
    """`strikewatch run`: 1 after one line when the run fails; an interrupted run ends the
    process itself (128 + the signal), see `_end_interrupted`."""
    settings = preflight.settings()
    source = preflight.source_folder(args.source or settings.source_dir)
    warehouse = preflight.warehouse_for_writing(args.warehouse or settings.warehouse_path)
    manifest = preflight.manifest_file(args.manifest)
    if not os.environ.get("PREFECT_API_URL"):  # checked before any work, as every setting is
        preflight.prefect_home(Path(os.environ.get("PREFECT_HOME") or settings.prefect_home))
    if not args.wait and lock_is_held(warehouse):
        raise Refusal(f"nothing published: {RUN_IN_PROGRESS.format(warehouse)}", status=3)
    on_end = partial(_end_interrupted, warehouse)
    with InterruptGuard(on_end, shield_children=bool(args.workers or args.dask_workers)) as guard:
        try:
            summary = _run_flow(args, settings, source, warehouse, manifest)
        except BaseException as exc:
            if (signum := guard.signalled or interruption_signal(exc)) is not None:
                guard.end(signum)
            _remove_build_files(warehouse)
            if args.debug or isinstance(exc, Refusal) or not isinstance(exc, Exception):
                raise
            _say_failure("run", exc)
            return 1  # the console script then exits without the interpreter's teardown
    return _print_summary(summary, warehouse)


def _run_flow(args, settings, source: Path, warehouse: Path, manifest: Path | None):
    """Plan the run before Prefect starts, holding the run lock: a run with nothing to do ends
    there. Otherwise the build_warehouse flow carries the plan out."""
    from strikewatch.plan import not_published, plan_build, unchanged_summary
    from strikewatch.warehouse import WarehouseUnavailable

    manifest = manifest or _default_manifest(source)
    try:
        with run_lock(warehouse, wait=args.wait), ExitStack() as stack:
            server = None
            if args.force or not warehouse.exists():  # a run that certainly builds
                # its temporary server starts now: its start-up (seconds) overlaps the plan's
                server = _temporary_server_if_needed(stack, settings, args)
            _progress(args, f"discovering files in {source}")
            try:
                plan = plan_build(source, warehouse, manifest, args.force)
            except WarehouseUnavailable as exc:
                remove_leftovers(warehouse)
                return not_published(warehouse, str(exc), exc.status)
            if plan.unchanged_since:
                _progress(args, f"nothing changed since run {plan.unchanged_since}")
                return unchanged_summary(plan)
            plan_file = plan.save(plan.build_dir / "plan.json")
            if server is None:
                server = _temporary_server_if_needed(stack, settings, args)
            return _run_prefect_flow(
                args, source, warehouse, manifest, plan, plan_file, stack, server
            )
    except RunInProgress as exc:
        return not_published(warehouse, str(exc), status=3)


def _temporary_server_if_needed(stack: ExitStack, settings, args: argparse.Namespace):
    """A temporary Prefect server, started now, unless PREFECT_API_URL or the Prefect profile
    may name a server (Prefect's own reading of its settings then decides, in
    _run_prefect_flow); the stack stops it."""
    configure_prefect(settings, debug=args.debug)
    home = Path(os.environ["PREFECT_HOME"])  # configure_prefect sets it
    if os.environ.get("PREFECT_API_URL") or _profile_may_name_a_server(home):
        return None
    # started before Prefect is imported here: the server's start (its own import of Prefect,
    # seconds) then overlaps this process's work
    return _start_temporary_server(stack, home)


def _default_manifest(source: Path) -> Path | None:
    """SOURCE/sources.csv when there is one (what the flow itself would use)."""
    default = source / "sources.csv"
    return default if default.exists() else None


def _progress(args: argparse.Namespace, message: str) -> None:
    """A progress line on stderr, as the build prints them, unless --quiet."""
    if not args.quiet:
        say(message)


def _run_prefect_flow(args, source, warehouse, manifest, plan, plan_file: Path, stack, server):
    """The build_warehouse flow, against the Prefect server in PREFECT_API_URL or a temporary
    one that lives as long as the run (`server`, or started here when the Prefect profile names
    none that answers), carrying out the plan (saved in `plan_file`)."""
    home = Path(os.environ["PREFECT_HOME"])  # configure_prefect has set it
    from strikewatch.build import warm_up_dbt

    warm_up_dbt(plan)  # dbt's import and parse take seconds, which overlap Prefect's start-up
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    # from the environment first: Prefect reads it once, when first imported
    api_url = os.environ.get("PREFECT_API_URL") or _profile_server(PREFECT_API_URL.value(), args)
    if api_url and server is not None:  # a setting named a server after all
        server.stop()
        server = None
    if not api_url and server is None:
        server = _start_temporary_server(stack, home)
    import flows.build_warehouse  # noqa: F401 (its libraries load while the server starts)

    if server is not None:
        api_url = server.ready()
        stack.enter_context(_environment("PREFECT_API_URL", api_url))
    flow = _flow(args)
    # No heartbeats: a local run joins the heartbeat thread for ~1 s at exit otherwise.
    stack.enter_context(
        temporary_settings(
            updates={PREFECT_API_URL: api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
        )
    )
    return flow(
        source_dir=str(source),
        warehouse_path=str(warehouse),
        manifest_path=str(manifest) if manifest else None,
        batch_size=args.batch_size,
        wait_for_lock=args.wait,
        force=args.force,
        quiet=args.quiet,
        plan_file=str(plan_file),
        workers=args.workers,
        allow_shrink=args.allow_shrink,
    )


def _start_temporary_server(stack: ExitStack, home: Path):
    """Start a temporary Prefect server that the stack stops (see strikewatch.prefect_server)."""
    from strikewatch.prefect_server import temporary_server

    preflight.prefect_home(home)
    timeout = float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
    return stack.enter_context(temporary_server(home, timeout))


def _profile_may_name_a_server(home: Path) -> bool:
    """Whether the Prefect profiles file may set PREFECT_API_URL (read without Prefect).

    False means no profile names a server, and a temporary one can start before Prefect is
    imported; Prefect's own reading of its settings is still what decides (_run_prefect_flow).
    """
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        return "PREFECT_API_URL" in profiles.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _profile_server(url: str | None, args: argparse.Namespace) -> str | None:
    """The API URL of the Prefect profile, if it names a server that answers.

    A local server named in the profile but not running (stopped since) is passed over for a
    temporary one, with a line that says so; a remote one is always used as it is.
    """
    if not url:
        return None
    from urllib.parse import urlsplit

    from strikewatch.prefect_server import answers

    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1") or answers(url):
        return url
    _progress(
        args, f"the Prefect server in the profile ({url}) does not answer: using a temporary one"
    )
    return None


@contextmanager
def _environment(name: str, value: str):
    """os.environ[name] = value for the block, for processes the run starts (workers, Dask)."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def _flow(args: argparse.Namespace):
    """build_warehouse with the task runner the arguments ask for."""
    from flows.build_warehouse import build_warehouse

    if args.dask_workers:
        # an interrupted run ends its workers; multiprocessing's resource tracker then cleans
        # up after them, and need not warn about it on the user's terminal
        os.environ.setdefault("PYTHONWARNINGS", "ignore:resource_tracker:UserWarning")
    if args.dask_address or args.dask_workers:
        from strikewatch.scale import dask_task_runner

        return build_warehouse.with_options(
            task_runner=dask_task_runner(args.dask_address, args.dask_workers)
        )
    return build_warehouse


def _print_summary(summary, warehouse: Path) -> int:
    """The run summary on stdout; every name from the source folder escaped."""
    if not summary.published:
        status = 4 if summary.test_failures else summary.refusal_status
        raise Refusal(f"nothing published: {summary.problem}", status)
    wall = time.time() - process_started()
    if summary.unchanged_since:
        print(
            f"Nothing changed since run {summary.unchanged_since}: "
            f"{printable(summary.warehouse)} stands as it is ({summary.files_seen} files checked "
            f"in {wall:.1f} s; --force rebuilds it)"
        )
        return 0
    load = summary.load
    print(
        f"Published {printable(summary.warehouse)} in {wall:.1f} s: {_time_parts(summary)} "
        f"(run {summary.run_id}, {summary.build_mode} build)"
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
        print(
            f"  quarantined file {printable(rejected['source_file'])}: "
            f"{printable(rejected['reason'])}"
        )
    flagged = {name: count for name, count in summary.plausibility_warnings.items() if count}
    print(f"Plausibility warnings: {sum(flagged.values())} flagged rows")
    for name, count in flagged.items():
        print(f"  {name:<40} {count:>5}  (flagged in the marts, listed in the report)")
    for warning in summary.warnings:
        print(f"Warning: {printable(warning)}")
    return 0


def _time_parts(summary) -> str:
    """Where the run's wall time went, from process start to now: the parts add up to it."""
    began = summary.began
    if not began:
        return f"dbt {summary.dbt_seconds:.1f} s"
    marks = [("start-up", process_started()), *((stage, began[stage]) for stage in began)]
    ends = [at for _, at in marks[1:]] + [time.time()]
    stage_names = {"models": "models (dbt)"}
    return ", ".join(
        f"{stage_names.get(stage, stage)} {end - at:.1f} s"
        for (stage, at), end in zip(marks, ends, strict=True)
    )


def _eval(args: argparse.Namespace) -> int:
    gold = preflight.readable_file(args.gold, "gold file")
    from strikewatch.evaluate import main as evaluate_main

    if args.source:
        source = preflight.source_folder(args.source)
        manifest = preflight.manifest_file(args.manifest)
        return evaluate_main(gold, source=source, manifest=manifest)
    warehouse = preflight.warehouse_for_reading(
        args.warehouse or preflight.settings().warehouse_path
    )
    return evaluate_main(gold, warehouse=warehouse)


def _docs(args: argparse.Namespace) -> int:
    warehouse = preflight.warehouse_for_reading(
        args.warehouse or preflight.settings().warehouse_path
    )
    from strikewatch.dictionary import write_dbt_docs, write_dictionary

    site = write_dbt_docs(warehouse, args.site)
    print(f"Wrote the dbt docs site (lineage, every model and column) to {printable(site)}")
    out = write_dictionary(warehouse, args.out, site / "manifest.json")
    print(f"Wrote {printable(out)}")
    return 0


def _report(args: argparse.Namespace) -> int:
    warehouse = preflight.warehouse_for_reading(
        args.warehouse or preflight.settings().warehouse_path
    )
    from strikewatch.report import write_report

    out = write_report(warehouse, args.out)
    print(f"Wrote {printable(out)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    if not (args.parquet or args.csv):
        raise Refusal("export: give --parquet DIR and/or --csv DIR")
    warehouse = preflight.warehouse_for_reading(
        args.warehouse or preflight.settings().warehouse_path
    )
    from strikewatch.export import export_tables

    for fmt, out_dir in (("parquet", args.parquet), ("csv", args.csv)):
        if out_dir:
            written = export_tables(warehouse, out_dir, fmt)
            print(f"Wrote {len(written)} {fmt} exports under {printable(out_dir)}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    settings = preflight.settings()
    cron = args.cron or settings.schedule_cron
    timezone = args.timezone or settings.schedule_timezone
    source = preflight.source_folder(args.source or settings.source_dir)
    warehouse = preflight.warehouse_for_writing(args.warehouse or settings.warehouse_path)
    configure_prefect(settings, debug=args.debug)
    preflight.schedule(cron, timezone)
    preflight.prefect_server_for_schedules()
    from flows.serve import serve_flow

    serve_flow(
        cron=cron,
        timezone=timezone,
        source_dir=str(source) if args.source else None,
        warehouse_path=str(warehouse) if args.warehouse else None,
    )
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


class _Version(argparse.Action):
    """`strikewatch --version`: the package, extraction rules and DuckDB versions, then exit."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> NoReturn:
        import duckdb

        from strikewatch import __version__
        from strikewatch.extract import EXTRACTOR_VERSION

        storage = preflight.settings().storage_version
        print(
            f"strikewatch {__version__} (extraction rules {EXTRACTOR_VERSION}, "
            f"DuckDB {duckdb.__version__}, warehouse written in DuckDB storage {storage})"
        )
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = _Parser(
        prog="strikewatch",
        description="Turn news coverage of strikes into facts with provenance in DuckDB.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    parser.add_argument(
        "--version", action=_Version, help="show the versions of strikewatch, its rules and DuckDB"
    )
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: `strikewatch --debug run` stays on when the subcommand is parsed
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[common],
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
    run.add_argument(
        "--batch-size", type=whole_number(1), default=200, help="files per extraction task"
    )
    run.add_argument("--wait", action="store_true", help="queue behind a run already in progress")
    run.add_argument("--quiet", action="store_true", help="no progress lines")
    run.add_argument(
        "--force", action="store_true", help="rebuild even when no input changed since the last run"
    )
    run.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even if the run would publish no articles, or drop more than "
        "STRIKEWATCH_MAX_DROPPED_SHARE (default 0.5) of the published ones",
    )
    run.add_argument(
        "--workers",
        type=whole_number(1),
        help="extract on N local processes (pays off from a few thousand articles)",
    )
    run.add_argument(
        "--dask-address", help="run extraction on this Dask scheduler (tcp://host:port)"
    )
    run.add_argument(
        "--dask-workers",
        type=whole_number(1),
        help="run extraction on a local Dask cluster of N processes",
    )
    run.set_defaults(handler=_run)

    evaluate = commands.add_parser(
        "eval",
        parents=[common],
        help="score extracted facts against a gold file",
        description="Precision, recall and F1 per fact type, attribute accuracy and grounding, "
        "of a warehouse or of a folder of articles extracted on the spot (`make eval` scores the "
        "seeds and both development sets).",
    )
    evaluate.add_argument("--gold", type=Path, required=True, help="gold facts, JSON lines")
    scored = evaluate.add_mutually_exclusive_group()
    scored.add_argument("--warehouse", type=Path, help="warehouse file to score (the default)")
    scored.add_argument("--source", type=Path, help="folder of articles to extract and score")
    evaluate.add_argument(
        "--manifest", type=Path, help="manifest of --source (default: SOURCE/sources.csv)"
    )
    evaluate.set_defaults(handler=_eval)

    docs = commands.add_parser(
        "docs",
        parents=[common],
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
        parents=[common],
        help="write a self-contained HTML report of the warehouse",
        description="Charts, strike timeline, conflicts and evidence viewer in one offline file.",
    )
    report.add_argument("--warehouse", type=Path, help="warehouse file to report on")
    report.add_argument("--out", type=Path, help="HTML file (default: warehouse/report.html)")
    report.set_defaults(handler=_report)

    export = commands.add_parser(
        "export",
        parents=[common],
        help="export core tables and marts to Parquet or CSV",
        description="Parquet partitioned by the article's year and month; CSV one file per table.",
    )
    export.add_argument("--warehouse", type=Path, help="warehouse file to export")
    export.add_argument("--parquet", type=Path, metavar="DIR", help="write Parquet under DIR")
    export.add_argument("--csv", type=Path, metavar="DIR", help="write CSV files under DIR")
    export.set_defaults(handler=_export)

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="serve the flow on a cron schedule (needs a Prefect server)",
        description="Serve build_warehouse with a cron schedule until interrupted.",
    )
    serve.add_argument("--cron", help="cron expression (default: settings, 0 6 * * *)")
    serve.add_argument("--timezone", help="time zone of the schedule (default: Europe/London)")
    serve.add_argument("--source", type=Path, help="folder of article files")
    serve.add_argument("--warehouse", type=Path, help="warehouse file")
    serve.set_defaults(handler=_serve)
    return parser


def _disk_full(exc: BaseException) -> bool:
    """True when the failure comes down to a full disk (an OSError, or DuckDB's words for it)."""
    seen: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in seen:
        if getattr(link, "errno", None) == errno.ENOSPC or "No space left on device" in str(link):
            return True
        seen.append(link)
        link = link.__cause__ or link.__context__
    return False


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `strikewatch` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except Refusal as exc:
        say(str(exc))
        return exc.status
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if args.debug:
            raise
        _say_failure(args.command, exc)
        return 1


def _say_failure(command: str, exc: Exception) -> None:
    """One line for an unexpected failure: a full disk said plainly, anything else by name."""
    if _disk_full(exc):
        what = "nothing published" if command == "run" else f"{command} failed"
        say(f"{what}: the disk is full (no space left on device)")
        return
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    failed = "nothing published" if command == "run" else f"{command} failed"
    say(
        f"{failed}: {type(exc).__name__}{': ' + detail if detail else ''} "
        "(--debug shows the traceback)"
    )


def console_script() -> NoReturn:
    """The `strikewatch` command: main(), then an exit that skips the interpreter's teardown,
    in which DuckDB's bindings would list the objects dbt and Prefect still hold ("leaked").
    dbt's locks are then left to multiprocessing's resource tracker, which frees them without
    the warning it would print."""
    os.environ.setdefault("PYTHONWARNINGS", "ignore:resource_tracker:UserWarning")
    _exit_now(main())


if __name__ == "__main__":
    console_script()

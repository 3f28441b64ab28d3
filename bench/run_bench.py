"""Benchmark `strikewatch run` on synthetic corpora (`make bench`; results in docs/benchmarks.md).

For each corpus size it measures, each in a fresh process as a user would run it:
- the full run into an empty warehouse: wall seconds, articles/s, MB/s, time per stage (from
  the run's progress lines), peak RSS of the run's process and of its whole process tree;
- a no-op rerun (nothing changed) and a rerun after adding one new article (an incremental
  build on a copy of the published warehouse);
- on the seeds: the dbt step of a full build, of a rebuild (--force) and of an incremental run
  that adds one article (views stand, intermediate tables and data tests run);
- the bare extraction functions (`process_batch`) in a plain loop over the same files, without
  Prefect, cache, validation or loading; full run / bare loop is the orchestration overhead.

    .venv/bin/python bench/run_bench.py [--sizes 1000 10000] [--workers N] [--dask-workers N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

from make_corpus import write_corpus  # noqa: E402

PYTHON = sys.executable
STRIKEWATCH = [PYTHON, "-m", "strikewatch.cli"]
# Progress lines of the flow, in order, and the stage each one starts.
STAGE_MARKERS = [
    ("discovering files", "discover"),
    ("extracting facts", "extract"),
    ("validating and loading", "load"),
    ("running dbt", "dbt"),
    ("publishing", "publish+exit"),
]
TARGETS = {"seconds_10k": 60.0, "overhead": 1.25, "noop_share": 0.10, "rss_mib": 1024.0}


@dataclass
class Measured:
    """One timed process: wall time, stages, memory."""

    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    peak_rss_mib: float = 0.0  # the largest single process (the run itself)
    peak_tree_rss_mib: float = 0.0  # the run plus its children (Prefect server, Dask workers)
    stage_peak_tree_rss_mib: dict[str, float] = field(default_factory=dict)  # where the peak is
    load_average: float = 0.0  # 1-minute load average when it ended: > 2 means others ran too
    timed_out: bool = False
    output: str = ""


def _tree_rss(process: psutil.Process) -> tuple[float, float]:
    """(RSS of the process, RSS of it and all its descendants), in MiB."""
    try:
        own = process.memory_info().rss
        total = own
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a child that just exited
                total += child.memory_info().rss
    except psutil.Error:
        return 0.0, 0.0
    return own / 2**20, total / 2**20


def timed_process(
    command: list[str], env: dict[str, str], timeout: float, cwd: Path | None = None
) -> Measured:
    """Run a command, timestamp its stderr lines, sample its memory every 50 ms.

    A run still going after `timeout` seconds is killed with its children and marked timed out.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a kill reaches its children
        cwd=cwd,
    )
    watched = psutil.Process(proc.pid)
    lines: list[tuple[float, str]] = []
    stdout: list[str] = []
    readers = [
        threading.Thread(
            target=lambda: [
                lines.append((time.perf_counter() - started, line)) for line in proc.stderr
            ]
        ),
        threading.Thread(target=lambda: stdout.extend(proc.stdout)),
    ]
    for reader in readers:
        reader.start()
    peak_own = peak_tree = 0.0
    stage_peaks: dict[str, float] = {}
    timed_out = False
    while proc.poll() is None:
        own, tree = _tree_rss(watched)
        peak_own, peak_tree = max(peak_own, own), max(peak_tree, tree)
        stage = _current_stage(lines)
        stage_peaks[stage] = max(stage_peaks.get(stage, 0.0), tree)
        if time.perf_counter() - started > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            timed_out = True
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    for reader in readers:
        reader.join()
    output = "".join(stdout) + "".join(line for _, line in lines)
    if proc.returncode != 0 and not timed_out:
        raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{output}")
    stages = _stages(lines, seconds)
    load = os.getloadavg()[0]
    return Measured(seconds, stages, peak_own, peak_tree, stage_peaks, load, timed_out, output)


def _stages(lines: list[tuple[float, str]], seconds: float) -> dict[str, float]:
    """Seconds per stage: start-up until the first progress line, then marker to marker."""
    starts: list[tuple[str, float]] = [("start-up", 0.0)]
    for at, line in lines:
        for marker, stage in STAGE_MARKERS:
            if line.startswith("strikewatch: ") and marker in line:
                starts.append((stage, at))
    ends = [at for _, at in starts[1:]] + [seconds]
    return {stage: end - at for (stage, at), end in zip(starts, ends, strict=True)}


def _current_stage(lines: list[tuple[float, str]]) -> str:
    """The stage the run is in, from its progress lines so far."""
    for _, line in reversed(lines[-50:]):  # batch lines come between the markers
        for marker, stage in reversed(STAGE_MARKERS):
            if line.startswith("strikewatch: ") and marker in line:
                return stage
    return "start-up"


def run_command(source: Path, warehouse: Path, options: argparse.Namespace) -> list[str]:
    """`strikewatch run` as a user types it."""
    command = [*STRIKEWATCH, "run", "--source", str(source), "--warehouse", str(warehouse)]
    if options.workers:
        command += ["--workers", str(options.workers)]
    if options.dask_workers:
        command += ["--dask-workers", str(options.dask_workers)]
    return command


def run_flow(source: Path, warehouse: Path, env: dict[str, str], options: argparse.Namespace):
    """`strikewatch run` as a user types it, measured."""
    return timed_process(run_command(source, warehouse, options), env, options.run_timeout)


def bare_loop(source: Path, files: list[str], batch_size: int = 200) -> float:
    """Seconds of `process_batch` over the files in a plain loop (imports not counted)."""
    from strikewatch.extract_batch import process_batch
    from strikewatch.manifest import load_manifest

    manifest = load_manifest(source / "sources.csv", set(candidate_files(source)))
    started = time.perf_counter()
    for i in range(0, len(files), batch_size):
        process_batch(source, files[i : i + batch_size], manifest, "bench")
    return time.perf_counter() - started


def profile_extraction(source: Path, files: list[str]) -> list[tuple[str, float]]:
    """Share of the bare loop's time spent inside each strikewatch module (own time)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    bare_loop(source, files)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    by_module: dict[str, float] = {}
    total = 0.0
    for (filename, _, _), (_, _, own_time, _, _) in stats.items():
        total += own_time
        if "/strikewatch/" in filename:
            key = "strikewatch/" + filename.split("/strikewatch/")[-1]
        elif filename.startswith("~") or "re/" in filename or "sre_" in filename:
            key = "regex engine and builtins"
        else:
            key = "other (pandas, pickle, stdlib)"
        by_module[key] = by_module.get(key, 0.0) + own_time
    return sorted(((k, v / total) for k, v in by_module.items()), key=lambda kv: -kv[1])


def bare_loop_process(source: Path, files_list: Path, env: dict[str, str]) -> float:
    """The bare loop in a fresh process, so it competes with nothing the bench holds."""
    result = subprocess.run(
        [PYTHON, __file__, "--bare-loop", str(source), str(files_list)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def candidate_files(source: Path) -> list[str]:
    """The article files a run would discover, in the order it processes them."""
    from strikewatch.ingest import discover_files

    return [c.source_file for c in discover_files(source, source / "sources.csv").candidates]


def bench_size(articles: int, work: Path, env: dict[str, str], options: argparse.Namespace):
    """Every measurement for one corpus size."""
    source = work / f"corpus-{articles}"
    warehouse = work / f"warehouse-{articles}" / "strikewatch.duckdb"
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    written = write_corpus(source, articles)
    if options.no_manifest:
        (source / "sources.csv").unlink()
    megabytes = sum(len(a.text.encode("utf-8")) for a in written) / 1e6
    files = candidate_files(source)
    files_list = work / f"files-{articles}.json"
    files_list.write_text(json.dumps(files))

    say(f"{articles} articles ({megabytes:.1f} MB): full run")
    full = run_flow(source, warehouse, env, options)
    say(f"{articles}: bare extraction loop")
    bare = bare_loop_process(source, files_list, env)
    result = {
        "articles": articles,
        "megabytes": round(megabytes, 2),
        "full": _plain(full),
        "bare_loop_seconds": round(bare, 2),
        "overhead_ratio": round(full.seconds / bare, 3),
        "articles_per_second": round(articles / full.seconds, 1),
        "mb_per_second": round(megabytes / full.seconds, 3),
        "noop": None,
        "noop_share": None,
        "one_new": None,
    }
    if full.timed_out:  # no published warehouse to rerun against
        say(f"{articles}: full run killed after {options.run_timeout:.0f} s; reruns skipped")
        return result
    say(f"{articles}: no-op rerun")
    noop = run_flow(source, warehouse, env, options)
    say(f"{articles}: rerun with one new article")
    write_corpus(source, 1, first=articles)
    if options.no_manifest:
        (source / "sources.csv").unlink()
    one_new = run_flow(source, warehouse, env, options)
    result.update(
        noop=_plain(noop),
        noop_share=round(noop.seconds / full.seconds, 3),
        one_new=_plain(one_new),
        one_new_files=_files_line(one_new.output),
        one_new_dbt_seconds=dbt_seconds(one_new.output),
    )
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    return result


def _plain(measured: Measured) -> dict:
    data = asdict(measured)
    data.pop("output")
    data["seconds"] = round(data["seconds"], 2)
    data["stages"] = {k: round(v, 2) for k, v in data["stages"].items()}
    data["peak_rss_mib"] = round(data["peak_rss_mib"], 1)
    data["peak_tree_rss_mib"] = round(data["peak_tree_rss_mib"], 1)
    data["stage_peak_tree_rss_mib"] = {
        k: round(v, 1) for k, v in data["stage_peak_tree_rss_mib"].items()
    }
    data["load_average"] = round(data["load_average"], 1)
    return data


def _files_line(output: str) -> str:
    return next((line for line in output.splitlines() if line.startswith("Files:")), "")


def dbt_seconds(output: str) -> float | None:
    """The dbt step's own time, from the run's summary line ("..., dbt 3.2 s)")."""
    found = re.search(r"models \(dbt\) ([0-9.]+) s", output) or re.search(
        r", dbt ([0-9.]+) s\)",
        output,  # the summary before issue 12
    )
    return float(found[1]) if found else None


def bench_seeds(work: Path, env: dict[str, str], options: argparse.Namespace) -> dict:
    """The dbt step on the seeds: a full build, a rebuild, and one new article (incremental)."""
    source = work / "seeds"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(ROOT / "seeds", source)
    warehouse = work / "seeds-warehouse" / "strikewatch.duckdb"
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    say("seeds: full build")
    full = run_flow(source, warehouse, env, options)
    say("seeds: rebuild (--force)")
    forced = timed_process([*run_command(source, warehouse, options), "--force"], env, 300)
    say("seeds: one new article (incremental)")
    write_corpus(source, 1, first=90_000)
    one_new = run_flow(source, warehouse, env, options)
    return {
        name: {"seconds": round(run.seconds, 2), "dbt_seconds": dbt_seconds(run.output)}
        for name, run in (("full", full), ("forced", forced), ("one_new", one_new))
    }


def say(message: str) -> None:
    """Progress on stderr."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _cell(result: dict, path: tuple[str, ...], form: str, bound: str = ">") -> str:
    """One table cell: the value at `path` formatted, 'n/a' when it was not measured.

    When the full run was killed, its numbers are bounds: `bound` says which way.
    """
    value: object = result
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return "n/a"
    killed = result["full"]["timed_out"] and path[0] != "bare_loop_seconds"
    return (f"{bound} " if killed and bound else "") + format(value, form)


ROWS = [
    ("corpus size (MB)", ("megabytes",), ".1f", ""),
    ("full run, end to end (s; target <= 60 at 10,000)", ("full", "seconds"), ".1f", ">"),
    ("articles/s", ("articles_per_second",), ".0f", "<"),
    ("MB/s", ("mb_per_second",), ".3f", "<"),
    ("bare extraction loop (s)", ("bare_loop_seconds",), ".1f", ""),
    ("overhead ratio full/bare (target <= 1.25)", ("overhead_ratio",), ".2f", ">"),
    ("no-op rerun (s)", ("noop", "seconds"), ".1f", ""),
    ("no-op rerun / full run (target <= 10%)", ("noop_share",), ".0%", ""),
    (
        "rerun with one new article (s; target <= 8 + start-up at 10,000)",
        ("one_new", "seconds"),
        ".1f",
        "",
    ),
    ("  of which start-up (s)", ("one_new", "stages", "start-up"), ".1f", ""),
    ("  of which dbt step (s)", ("one_new_dbt_seconds",), ".1f", ""),
    ("peak RSS, run process (MiB; target <= 1024)", ("full", "peak_rss_mib"), ".0f", ">="),
    ("peak RSS, process tree (MiB)", ("full", "peak_tree_rss_mib"), ".0f", ">="),
    ("load average at end of full run", ("full", "load_average"), ".1f", ""),
]


def _stage_bound(result: dict, stage: str) -> str:
    """'>' for the stage a killed run was in; the stages before it finished."""
    return ">" if list(result["full"]["stages"])[-1] == stage else ""


def seeds_markdown(seeds: dict) -> str:
    """The seeds' dbt timings as a Markdown table."""
    rows = [
        ("full build (new file: every view, table and test)", "full"),
        ("rebuild, `--force` (new file)", "forced"),
        ("one new article (incremental: views stand)", "one_new"),
    ]
    lines = [
        "| seeds run | whole run (s) | dbt step (s; target <= 5) |",
        "|---|---|---|",
    ]
    for label, key in rows:
        run = seeds[key]
        dbt = "n/a" if run["dbt_seconds"] is None else f"{run['dbt_seconds']:.1f}"
        lines.append(f"| {label} | {run['seconds']:.1f} | {dbt} |")
    return "\n".join(lines)


def markdown(results: list[dict], warmup: float, total: float, args: argparse.Namespace) -> str:
    """The results as the Markdown tables docs/benchmarks.md shows."""
    runner = "default (one extraction thread)"
    if args.workers:
        runner = f"{args.workers} local processes (--workers)"
    if args.dask_workers:
        runner = f"Dask LocalCluster, {args.dask_workers} process workers"
    runner += "; local Prefect server" if args.server else "; ephemeral Prefect API"
    if args.no_manifest:
        runner += ", corpus without sources.csv"
    sizes = " | ".join(f"{r['articles']:,} articles" for r in results)
    rule = "|---|" + "---|" * len(results)
    lines = [
        f"Task runner: {runner}. "
        f"Prefect first start (migrations, untimed warm-up): {warmup:.1f} s. "
        f"Whole benchmark: {total:.0f} s.",
        "",
        f"| measure | {sizes} |",
        rule,
        *[
            f"| {name} | " + " | ".join(_cell(r, path, form, bound) for r in results) + " |"
            for name, path, form, bound in ROWS
        ],
        "",
        "Seconds per stage (full run / no-op rerun / one new article):",
        "",
        f"| stage | {sizes} |",
        rule,
    ]
    for stage in ["start-up", *[stage for _, stage in STAGE_MARKERS]]:
        cells = [
            " / ".join(
                _cell(r, (run, "stages", stage), ".1f", _stage_bound(r, stage))
                for run in ("full", "noop", "one_new")
            )
            for r in results
        ]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Peak RSS of the process tree per stage, full run (MiB):",
        "",
        f"| stage | {sizes} |",
    ]
    lines.append(rule)
    for stage in ["start-up", *[stage for _, stage in STAGE_MARKERS]]:
        cells = [_cell(r, ("full", "stage_peak_tree_rss_mib", stage), ".0f", "") for r in results]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def start_server(env: dict[str, str]) -> subprocess.Popen:
    """scripts/start_prefect_server.sh on a free port; sets PREFECT_API_URL in `env`."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(ROOT / "scripts/start_prefect_server.sh"), "--no-ui"],
        env={**env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{env['PREFECT_API_URL']}/health", timeout=2),
        ):
            return server
        time.sleep(0.5)
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError("the Prefect server did not start within 180 s")


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[1000, 10000],
        help="corpus sizes; with --against, none (--sizes alone) measures the seeds rows only",
    )
    parser.add_argument("--workers", type=int, help="run the flow on N local processes")
    parser.add_argument("--dask-workers", type=int, help="run the flow on N Dask processes")
    parser.add_argument("--workdir", type=Path, help="where corpora go (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--profile", action="store_true", help="profile extraction by module")
    parser.add_argument(
        "--run-timeout",
        type=float,
        help="kill a flow run after this many seconds (default: 300 + 50 ms per article)",
    )
    parser.add_argument(
        "--against", metavar="REV", help="issue 12's table: this checkout beside revision REV"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (median)")
    parser.add_argument(
        "--no-manifest", action="store_true", help="leave sources.csv out of the corpus"
    )
    parser.add_argument(
        "--server", action="store_true", help="run against a local Prefect server, not ephemeral"
    )
    parser.add_argument(
        "--bare-loop", nargs=2, metavar=("SOURCE", "FILES_JSON"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if not args.sizes and not args.against:
        parser.error("--sizes needs at least one corpus size (none only with --against)")
    if args.bare_loop:
        source, files_json = Path(args.bare_loop[0]), Path(args.bare_loop[1])
        print(bare_loop(source, json.loads(files_json.read_text())))
        return 0

    began = time.perf_counter()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="strikewatch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.against:
        from run_cost import compare

        table, before, after = compare(args, work)
        print(table)
        if args.json:
            args.json.write_text(json.dumps({"before": before, "after": after}, indent=2))
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    if args.run_timeout is None:
        args.run_timeout = 300 + 0.05 * max(args.sizes)
    env = {
        **os.environ,
        "PREFECT_HOME": str(work / "prefect-home"),  # a bench-only Prefect database
        "PYTHONPATH": str(ROOT),
        # a first start migrates a new database, which can outlast the 20 s default on 2 cores
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    }
    server = start_server(env) if args.server else None
    try:
        say(f"working in {work}; warming up Prefect (first start creates its database)")
        warmup = run_flow(ROOT / "seeds", work / "warmup" / "strikewatch.duckdb", env, args)
        seeds = bench_seeds(work, env, args)
        say("seeds:\n" + seeds_markdown(seeds))
        results = []
        for articles in args.sizes:
            results.append(bench_size(articles, work, env, args))
            say("so far:\n" + markdown(results, warmup.seconds, time.perf_counter() - began, args))
            if args.json:
                data = {"results": results, "warmup": warmup.seconds, "seeds": seeds}
                args.json.write_text(json.dumps(data, indent=2))
    finally:
        if server:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    if args.profile:
        source = work / f"corpus-{args.sizes[0]}"
        for module, share in profile_extraction(source, candidate_files(source)[:300]):
            print(f"{share:6.1%}  {module}")
    total = time.perf_counter() - began
    print(seeds_markdown(seeds))
    print()
    print(markdown(results, warmup.seconds, total, args))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

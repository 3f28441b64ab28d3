"""Issue 12's table: what a run costs, this revision beside an older one, in one bench run.

    .venv/bin/python bench/run_bench.py --against 87794f4 [--sizes 10000] [--repeat 3]

The older revision is checked out with `git worktree add` into the work folder and run with this
checkout's virtual environment (the same locked packages), its own code first on the path. Each
measure is the median of `--repeat` whole-process runs (`strikewatch run`, as a user types it);
a full run at a size over 10,000 articles runs once. Peak RSS is that of the whole process tree
(the run, its extraction workers and its Prefect server).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from make_corpus import write_corpus
from run_bench import PYTHON, ROOT, Measured, say, start_server, timed_process

RUN_MORE_THAN_ONCE_UP_TO = 10_000


@dataclass
class Revision:
    """A checkout to measure: its folder and the environment its runs get."""

    name: str
    root: Path
    env: dict[str, str] = field(default_factory=dict)


def checkout(rev: str, work: Path) -> Path:
    """`git worktree add` of `rev` under `work` (reused when already there)."""
    folder = work / f"rev-{rev}"
    if not (folder / "strikewatch").is_dir():
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev],
            check=True,
            capture_output=True,
        )
    return folder


def remove_checkout(folder: Path) -> None:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],
        capture_output=True,
    )


def revision(name: str, root: Path, work: Path) -> Revision:
    env = {
        **os.environ,
        "PYTHONPATH": str(root),  # before the editable install of this checkout
        "PREFECT_HOME": str(work / f"prefect-{name}"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    }
    env.pop("PREFECT_API_URL", None)
    return Revision(name, root, env)


def run(rev: Revision, source: Path, warehouse: Path, timeout: float, *extra: str) -> Measured:
    """`strikewatch run` of revision `rev`, from its own folder, measured."""
    command = [PYTHON, "-m", "strikewatch.cli", "run", "--source", str(source)]
    command += ["--warehouse", str(warehouse), *extra]
    return timed_process(command, rev.env, timeout, cwd=rev.root)


PROGRESS: dict[str, dict] = {}  # every result so far, by revision, for --json
PROGRESS_FILE: list[Path] = []


def median(runs: list[Measured]) -> dict:
    return {
        "seconds": round(statistics.median(r.seconds for r in runs), 2),
        "runs": [round(r.seconds, 2) for r in runs],
        "peak_tree_rss_mib": round(max(r.peak_tree_rss_mib for r in runs), 0),
        "load_average": round(max(r.load_average for r in runs), 1),
        "summary": next(
            (
                line
                for line in runs[-1].output.splitlines()
                if line.startswith(("Published", "Nothing changed"))
            ),
            "",
        ),
    }


class Results(dict):
    """A revision's results; each one said on stderr and saved as it comes."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        PROGRESS[name] = self

    def __setitem__(self, key: str, value: dict) -> None:
        super().__setitem__(key, value)
        say(
            f"{self.name}: {key}: median {value['seconds']} s of {value['runs']}, "
            f"tree RSS {value['peak_tree_rss_mib']} MiB, load {value['load_average']}"
        )
        for path in PROGRESS_FILE:
            path.write_text(json.dumps(PROGRESS, indent=2))


def measure(rev: Revision, work: Path, sizes: list[int], repeat: int, timeout) -> dict:
    """Every row of the table for one revision."""
    results = Results(rev.name)
    base = work / rev.name
    shutil.rmtree(base, ignore_errors=True)
    seeds = base / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    say(f"{rev.name}: warm-up (a new Prefect home migrates its database)")
    run(rev, seeds, base / "warmup" / "w.duckdb", timeout(5), "--quiet")
    say(f"{rev.name}: seeds, full runs with a temporary server")
    fulls = [run(rev, seeds, base / f"seeds-{i}" / "w.duckdb", timeout(5)) for i in range(repeat)]
    results["seeds_full"] = median(fulls)
    say(f"{rev.name}: seeds, nothing changed")
    noops = [run(rev, seeds, base / "seeds-0" / "w.duckdb", timeout(5)) for _ in range(repeat)]
    results["seeds_noop"] = median(noops)
    say(f"{rev.name}: seeds, full runs against a running Prefect server")
    server_env = dict(rev.env)
    server = start_server(server_env)
    try:
        served = Revision(rev.name, rev.root, server_env)
        run(served, seeds, base / "served-warmup" / "w.duckdb", timeout(5))
        runs = [
            run(served, seeds, base / f"served-{i}" / "w.duckdb", timeout(5)) for i in range(repeat)
        ]
        results["seeds_full_server"] = median(runs)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    for articles in sizes:
        corpus = base / f"corpus-{articles}"
        write_corpus(corpus, articles)
        warehouse = base / f"warehouse-{articles}" / "w.duckdb"
        say(f"{rev.name}: {articles} articles, full run")
        full = run(rev, corpus, warehouse, timeout(articles))
        results[f"{articles}_full"] = median([full])
        if full.timed_out or articles > RUN_MORE_THAN_ONCE_UP_TO:
            continue
        say(f"{rev.name}: {articles} articles, nothing changed")
        noops = [run(rev, corpus, warehouse, timeout(articles)) for _ in range(repeat)]
        results[f"{articles}_noop"] = median(noops)
        say(f"{rev.name}: {articles} articles, one new file")
        write_corpus(corpus, 1, first=articles)
        results[f"{articles}_one_new"] = median([run(rev, corpus, warehouse, timeout(articles))])
        shutil.rmtree(corpus, ignore_errors=True)
    return results


ROWS = [
    ("seeds, full run, temporary server", "seeds_full", "<= 8 s"),
    ("seeds, full run, running Prefect server", "seeds_full_server", "<= 5 s"),
    ("seeds, nothing changed", "seeds_noop", "<= 1.5 s"),
    ("{n} articles, full run", "{n}_full", "<= 30 s at 10,000"),
    ("{n} articles, nothing changed", "{n}_noop", "<= 3 s at 10,000"),
    ("{n} articles, one new file", "{n}_one_new", "<= 8 s + start-up at 10,000"),
]


def markdown(before: dict, after: dict, names: tuple[str, str], sizes: list[int]) -> str:
    """The table: each measure for both revisions, with the target."""
    lines = [
        f"| measure | {names[0]} (s) | {names[1]} (s) | target | peak RSS of the process tree, "
        f"{names[0]} / {names[1]} (MiB) | load average |",
        "|---|---|---|---|---|---|",
    ]
    keys = [(label, key, target) for label, key, target in ROWS if "{n}" not in key]
    for n in sizes:
        keys += [
            (label.format(n=f"{n:,}"), key.format(n=n), target)
            for label, key, target in ROWS
            if "{n}" in key
        ]
    for label, key, target in keys:
        old, new = before.get(key), after.get(key)
        if old is None and new is None:
            continue

        def cell(result, field="seconds", form=".1f"):
            return "n/a" if result is None else format(result[field], form)

        load = max((r["load_average"] for r in (old, new) if r), default=0)
        lines.append(
            f"| {label} | {cell(old)} | {cell(new)} | {target} | "
            f"{cell(old, 'peak_tree_rss_mib', '.0f')} / {cell(new, 'peak_tree_rss_mib', '.0f')} "
            f"| {load:.1f} |"
        )
    return "\n".join(lines)


def compare(args: argparse.Namespace, work: Path) -> tuple[str, dict, dict]:
    """Measure the older revision and this checkout; the table as Markdown."""

    def timeout(articles: int) -> float:
        # long enough for 100,000 articles on a busy 2-core machine
        return args.run_timeout if args.run_timeout else 300 + 0.05 * articles

    if args.json:
        PROGRESS_FILE.append(args.json)
    old_root = checkout(args.against, work)
    try:
        old = revision(args.against, old_root, work)
        before = measure(old, work, args.sizes, args.repeat, timeout)
        after = measure(revision("this", ROOT, work), work, args.sizes, args.repeat, timeout)
    finally:
        remove_checkout(old_root)
    return markdown(before, after, (args.against, "this checkout"), args.sizes), before, after

"""Issue 12's table: what a run costs, this revision beside an older one, in one bench run.

    .venv/bin/python bench/run_bench.py --against 87794f4 [--sizes 10000] [--repeat 3]
    .venv/bin/python bench/run_bench.py --against main --sizes     # the seeds rows only

The older revision is checked out with `git worktree add` into the work folder and run with this
checkout's virtual environment (the same locked packages), its own code first on the path. Each
measure is the median of `--repeat` whole-process runs (`strikewatch run`, as a user types it);
a size over 10,000 articles gets one full run of this checkout only (the older revision would
take most of an hour, and the issue gives no figure to compare). Peak RSS is that of the whole
process tree (the run, its extraction workers and its Prefect server).
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
        "PREFECT_HOME": str(work / "prefect-home"),  # one database, migrated once
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


def measure(revs: list[Revision], work: Path, sizes: list[int], repeat: int, timeout) -> list:
    """Every row of the table, each measured for every revision in turn (side by side, so
    results taken so far compare like with like when the machine's load changes)."""
    results = {rev.name: Results(rev.name) for rev in revs}
    base = {rev.name: work / rev.name for rev in revs}
    for rev in revs:
        shutil.rmtree(base[rev.name], ignore_errors=True)
        shutil.copytree(ROOT / "seeds", base[rev.name] / "seeds")
        say(f"{rev.name}: warm-up (a new Prefect home migrates its database)")
        run(rev, base[rev.name] / "seeds", base[rev.name] / "warmup" / "w.duckdb", timeout(5))

    def each(label: str, key: str, runs) -> None:
        for rev in revs:
            say(f"{rev.name}: {label}")
            results[rev.name][key] = median(runs(rev, base[rev.name]))

    each(
        "seeds, full runs with a temporary server",
        "seeds_full",
        lambda rev, b: [
            run(rev, b / "seeds", b / f"seeds-{i}/w.duckdb", 300) for i in range(repeat)
        ],
    )
    each(
        "seeds, nothing changed",
        "seeds_noop",
        lambda rev, b: [run(rev, b / "seeds", b / "seeds-0/w.duckdb", 300) for _ in range(repeat)],
    )
    each("seeds, full runs against a running Prefect server", "seeds_full_server", _served(repeat))
    for articles in sizes:
        corpus = work / f"corpus-{articles}"
        shutil.rmtree(corpus, ignore_errors=True)
        write_corpus(corpus, articles)
        measured = revs if articles <= RUN_MORE_THAN_ONCE_UP_TO else revs[-1:]
        for rev in measured:
            shutil.copytree(corpus, base[rev.name] / corpus.name)
        limit = timeout(articles)

        def full(rev, b, n=articles, limit=limit):
            return [run(rev, b / f"corpus-{n}", b / f"warehouse-{n}/w.duckdb", limit)]

        if articles > RUN_MORE_THAN_ONCE_UP_TO:
            # the issue's "today" has no figure at this size: one full run of this checkout only
            say(f"this checkout: {articles} articles, full run")
            this = measured[0]
            results[this.name][f"{articles}_full"] = median(full(this, base[this.name]))
            continue
        each(f"{articles} articles, full run", f"{articles}_full", full)
        each(
            f"{articles} articles, nothing changed",
            f"{articles}_noop",
            lambda rev, b, n=articles, limit=limit: [
                run(rev, b / f"corpus-{n}", b / f"warehouse-{n}/w.duckdb", limit)
                for _ in range(repeat)
            ],
        )

        def one_new(rev, b, n=articles, limit=limit):
            write_corpus(b / f"corpus-{n}", 1, first=n)
            return [run(rev, b / f"corpus-{n}", b / f"warehouse-{n}/w.duckdb", limit)]

        each(f"{articles} articles, one new file", f"{articles}_one_new", one_new)
    return [results[rev.name] for rev in revs]


def _served(repeat: int):
    """Full runs of the seeds against a Prefect server started for the purpose."""

    def runs(rev: Revision, b: Path) -> list[Measured]:
        env = dict(rev.env)
        server = start_server(env)
        try:
            served = Revision(rev.name, rev.root, env)
            run(served, b / "seeds", b / "served-warmup/w.duckdb", 300)
            return [
                run(served, b / "seeds", b / f"served-{i}/w.duckdb", 300) for i in range(repeat)
            ]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    return runs


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
        revs = [revision(args.against, old_root, work), revision("this", ROOT, work)]
        before, after = measure(revs, work, args.sizes, args.repeat, timeout)
    finally:
        remove_checkout(old_root)
    return markdown(before, after, (args.against, "this checkout"), args.sizes), before, after

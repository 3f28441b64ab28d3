"""Issue 11's one-new-file run, this checkout beside an older revision, without the rest of
`make bench`: the corpus and each revision's full build are made once, then only the run that
adds one article is timed, again and again, the revisions taking turns.

    .venv/bin/python bench/one_new_file.py --against 1909b5f [--articles 10000] [--repeat 5]

Each revision's published warehouse folder (warehouse, file states, dbt state, extraction cache)
is kept after its full build and copied back before every timed run, so every run does the same
work. The older revision is exported with `git archive` into the work folder and run with this
checkout's virtual environment, its own code first on the path. Printed per run: wall seconds,
CPU seconds of the process and its children, and the run's own summary of its stages; at the
end the median of each. The kept folders are reused by a later call with the same --workdir;
make them again (a new --workdir) when either revision's dbt project changes, or every timed
run rebuilds the models that changed.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(BENCH_DIR)]

from make_corpus import write_corpus  # noqa: E402
from run_cost import revision  # noqa: E402

PYTHON = sys.executable
PARTS = re.compile(r"([a-z-]+(?: \(dbt\))?) (\d+\.\d) s")


def export(rev: str, work: Path) -> Path:
    """The files of `rev` under `work` (reused when already there)."""
    folder = work / f"rev-{rev}"
    if not (folder / "strikewatch").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def run(root: Path, env: dict, source: Path, warehouse: Path) -> tuple[float, float, str]:
    """`strikewatch run` from `root`: wall seconds, CPU seconds (with children), its output."""
    command = [PYTHON, "-m", "strikewatch.cli", "run", "--source", str(source)]
    command += ["--warehouse", str(warehouse)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise RuntimeError(f"run failed ({done.returncode}):\n{output}")
    return wall, cpu, output


def summary_line(output: str) -> str:
    return next((line for line in output.splitlines() if line.startswith("Published")), "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, metavar="REV")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="strikewatch-one-new-"))
    work.mkdir(parents=True, exist_ok=True)
    revisions = {args.against: export(args.against, work), "this": ROOT}
    envs = {name: revision(name, root, work).env for name, root in revisions.items()}
    source = work / f"corpus-{args.articles}"
    if not (source / "sources.csv").exists():
        write_corpus(source, args.articles)
    new_article = source / "added.marker"
    for name, root in revisions.items():
        snapshot = work / f"published-{name}"
        if not snapshot.exists():
            if new_article.exists():
                raise SystemExit(f"{work}: the corpus already has the new article")
            warehouse = work / f"warehouse-{name}" / "strikewatch.duckdb"
            shutil.rmtree(warehouse.parent, ignore_errors=True)
            wall, _, output = run(root, envs[name], source, warehouse)
            print(f"{name}: full run {wall:.1f} s\n  {summary_line(output)}", flush=True)
            shutil.copytree(warehouse.parent, snapshot, symlinks=True)
    if not new_article.exists():
        write_corpus(source, 1, first=args.articles)
        new_article.write_text("")
    results: dict[str, list[tuple[float, float, dict[str, float]]]] = {n: [] for n in revisions}
    for round_ in range(args.repeat):
        order = list(revisions) if round_ % 2 == 0 else list(reversed(revisions))
        for name in order:
            folder = work / f"warehouse-{name}"
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(work / f"published-{name}", folder, symlinks=True)
            warehouse = folder / "strikewatch.duckdb"
            wall, cpu, output = run(revisions[name], envs[name], source, warehouse)
            line = summary_line(output)
            parts = {part: float(s) for part, s in PARTS.findall(line.split(":", 1)[-1])}
            results[name].append((wall, cpu, parts))
            print(f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU | {line}", flush=True)
    if not args.repeat:
        return 0
    print(f"\nmedians of {args.repeat} one-new-file runs, {args.articles} articles:")
    for name, runs in results.items():
        stages = {part: statistics.median(r[2].get(part, 0.0) for r in runs) for part in runs[0][2]}
        after_start = statistics.median(
            sum(s for p, s in r[2].items() if p != "start-up") for r in runs
        )
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(
            f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU, after start-up {after_start:.1f} s; "
            + ", ".join(f"{part} {seconds:.1f} s" for part, seconds in stages.items())
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

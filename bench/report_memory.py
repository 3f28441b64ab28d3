"""Peak memory of `strikewatch report` on a large warehouse, and the size of the conflicts mart.

    .venv/bin/python bench/make_corpus.py /tmp/corpus --articles 20000
    .venv/bin/python bench/report_memory.py /tmp/corpus

Builds the corpus's warehouse with the builder (once: an existing one is reused), then runs
`strikewatch report` in a fresh process and samples its memory every 50 ms (issue 14 asks for
under 2 GB at 20,000 articles). A measurement, not a test: docs/benchmarks.md has the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb
from run_bench import timed_process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from strikewatch.build import build_warehouse, print_progress  # noqa: E402


def conflict_figures(warehouse: Path) -> dict[str, int]:
    """Rows of the figure marts, and the mentions of the most reported measure."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            "articles": con.execute("select count(*) from extracted.articles").fetchone()[0],
            "figure mentions": con.execute(
                "select count(*) from intermediate.int_figure_mentions"
            ).fetchone()[0],
            "mentions of the most reported measure": con.execute(
                "select max(mentions) from intermediate.int_figure_estimates"
            ).fetchone()[0],
            "distinct values of that measure": con.execute(
                "select distinct_values from intermediate.int_figure_estimates "
                "order by mentions desc limit 1"
            ).fetchone()[0],
            "figure_conflicts rows": con.execute(
                "select count(*) from marts.figure_conflicts"
            ).fetchone()[0],
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder made by bench/make_corpus.py")
    parser.add_argument("--warehouse", type=Path, help="default: CORPUS.duckdb beside it")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for the report")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    warehouse = (args.warehouse or corpus.with_suffix(".duckdb")).resolve()
    if not warehouse.exists():
        manifest = corpus / "sources.csv"
        summary = build_warehouse(
            corpus, warehouse, manifest if manifest.exists() else None, progress=print_progress
        )
        if not summary.published:
            print(f"build failed: {summary.problem}", file=sys.stderr)
            return 1
    for name, value in conflict_figures(warehouse).items():
        print(f"{name:<40} {value:>12,}")
    report = warehouse.with_suffix(".html")
    measured = timed_process(
        [sys.executable, "-m", "strikewatch.cli", "report", "--warehouse", str(warehouse),
         "--out", str(report)],
        dict(os.environ),
        args.timeout,
    )  # fmt: skip
    print(f"{'report: seconds':<40} {measured.seconds:>12.1f}")
    print(f"{'report: peak RSS (MiB; target < 2048)':<40} {measured.peak_tree_rss_mib:>12.0f}")
    print(f"{'load average at the end':<40} {measured.load_average:>12.1f}")
    return 1 if measured.timed_out else 0


if __name__ == "__main__":
    raise SystemExit(main())

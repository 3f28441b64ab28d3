"""Benchmark the HTML report at scale (`make bench`; results in docs/benchmarks.md).

Builds a synthetic corpus (bench/make_corpus.py) into a warehouse with `strikewatch run`, unless
--warehouse names one, then measures:
- `strikewatch report`: wall seconds and the file's size (budget: 20 MB at 10,000 articles);
- opening it in headless Chromium until the page says it is ready (charts drawn, tables and
  evidence list filled): the wall time of Chromium on the report less its time on an empty
  page (its start-up), median of three (budget: 5 s), and the page's own count of milliseconds
  from its script's start to ready.

    .venv/bin/python bench/report_bench.py [--articles 10000] [--warehouse FILE]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

from make_corpus import write_corpus  # noqa: E402

STRIKEWATCH = [sys.executable, "-m", "strikewatch.cli"]
CHROMIUM = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
BUDGET_MB, BUDGET_SECONDS = 20.0, 5.0


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout


def open_in_chromium(url: str, profile: Path) -> tuple[float, str]:
    """Wall seconds of headless Chromium loading `url` until the page is idle, and its DOM."""
    return timed(
        [*CHROMIUM, f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND"]
        + ["--virtual-time-budget=120000", "--dump-dom", url]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--warehouse", type=Path, help="report on this warehouse instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="strikewatch-report-bench-") as scratch:
        folder = Path(scratch)
        warehouse = args.warehouse
        if warehouse is None:
            source, warehouse = folder / "corpus", folder / "strikewatch.duckdb"
            write_corpus(source, args.articles)
            print(f"building {args.articles} articles ...", flush=True)
            seconds, _ = timed([*STRIKEWATCH, "run", "--source", str(source), "--warehouse",
                                str(warehouse), "--quiet", "--workers", "2"])  # fmt: skip
            print(f"built the warehouse in {seconds:.0f} s")
        report = folder / "report.html"
        seconds, _ = timed([*STRIKEWATCH, "report", "--warehouse", str(warehouse), "--out",
                            str(report)])  # fmt: skip
        size_mb = report.stat().st_size / 1e6
        blank, opened, ready_ms = [], [], []
        for attempt in range(3):
            profile = folder / f"profile-{attempt}"
            blank.append(open_in_chromium("about:blank", profile)[0])
            wall, dom = open_in_chromium(report.as_uri(), profile)
            body = re.search(r"<body([^>]*)>", dom).group(1)
            if 'data-status="ready"' not in body or 'data-errors="0"' not in body:
                raise SystemExit(f"the report did not render cleanly: <body{body}>")
            opened.append(wall)
            ready_ms.append(int(re.search(r'data-ready-ms="(\d+)"', body).group(1)))
        open_seconds = statistics.median(opened) - statistics.median(blank)
        print(f"report written in {seconds:.1f} s: {size_mb:.1f} MB (budget {BUDGET_MB:.0f} MB)")
        print(
            f"opened in headless Chromium in {open_seconds:.1f} s beyond start-up "
            f"(budget {BUDGET_SECONDS:.0f} s; median of 3; Chromium {statistics.median(opened):.1f}"
            f" s in all, an empty page {statistics.median(blank):.1f} s); the page's script "
            f"reported ready after {statistics.median(ready_ms) / 1000:.1f} s"
        )


if __name__ == "__main__":
    main()

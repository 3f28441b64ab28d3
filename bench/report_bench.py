"""Benchmark the HTML report at scale (`make bench`; results in docs/benchmarks.md).

Builds a synthetic corpus (bench/make_corpus.py) into a warehouse with `strikewatch run`, unless
--warehouse names one, then measures:
- `strikewatch report`: wall seconds and the file's size (budget: 20 MB at 10,000 articles);
- opening it in headless Chromium, driven over the DevTools protocol: wall seconds from the
  navigation to the moment the page says it is ready (data unpacked, every chart drawn, tables
  and evidence list filled), median of three (budget: 5 s).

    .venv/bin/python bench/report_bench.py [--articles 10000] [--warehouse FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

from make_corpus import write_corpus  # noqa: E402

STRIKEWATCH = [sys.executable, "-m", "strikewatch.cli"]
CHROMIUM = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
BUDGET_MB, BUDGET_SECONDS = 20.0, 5.0
STATE = "document.body && document.body.dataset.status"
ERRORS = "document.body.dataset.errors"


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout


def seconds_to_ready(url: str, profile: Path) -> float:
    """Wall seconds from navigating headless Chromium to `url` until the page says it is ready."""
    from websockets.sync.client import connect

    chromium = subprocess.Popen(
        [*CHROMIUM, f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        port_file = profile / "DevToolsActivePort"
        # Chromium creates the file, then writes the port into it
        while not (port_file.exists() and port_file.read_text().split()):
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        with connect(page["webSocketDebuggerUrl"], max_size=None) as socket:
            calls = iter(range(1, 10**6))

            def call(method: str, **params) -> dict:
                number = next(calls)
                socket.send(json.dumps({"id": number, "method": method, "params": params}))
                while True:
                    message = json.loads(socket.recv())
                    if message.get("id") == number:
                        return message.get("result", {})

            started = time.perf_counter()
            call("Page.navigate", url=url)
            while True:
                state = call("Runtime.evaluate", expression=STATE)["result"].get("value")
                if state in ("ready", "failed"):
                    break
                time.sleep(0.05)
            seconds = time.perf_counter() - started
            errors = call("Runtime.evaluate", expression=ERRORS)["result"].get("value")
        if state != "ready" or errors != "0":
            raise SystemExit(f"the report did not render cleanly: {state}, {errors} errors")
        return seconds
    finally:
        chromium.terminate()
        chromium.wait()


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
        opened = [seconds_to_ready(report.as_uri(), folder / f"profile-{n}") for n in range(3)]
        print(f"report written in {seconds:.1f} s: {size_mb:.1f} MB (budget {BUDGET_MB:.0f} MB)")
        print(
            f"ready in headless Chromium {statistics.median(opened):.1f} s after navigating to it"
            f" (budget {BUDGET_SECONDS:.0f} s; median of {', '.join(f'{t:.1f}' for t in opened)})"
        )


if __name__ == "__main__":
    main()

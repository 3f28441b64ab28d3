"""Check that fact extraction is unchanged and see how fast it is.

The first run (or --rebuild) writes a reference: the facts `extract_facts` gives for a synthetic
corpus, the seeds (with and without a published date and boilerplate) and a few odd texts, plus
the time the plain loop took. Later runs extract the same inputs again, exit non-zero when any
output differs from the reference, and print the speed beside the reference's. --against DIR
also times, in turns with this checkout, the package in DIR (an older version, e.g. from
`git archive COMMIT strikewatch | tar -x -C DIR`), which is fairer on a busy machine. --linear
times one long text (the seeds repeated) at two lengths to check the work stays linear.

    .venv/bin/python bench/check_extraction_speed.py [--rebuild] [--against DIR] [--linear]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import pickle
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

if "--code-root" in sys.argv:  # time another checkout's package: it must come first on the path
    sys.path.insert(0, sys.argv[sys.argv.index("--code-root") + 1])

from make_corpus import write_corpus  # noqa: E402

from strikewatch.documents import parse_document  # noqa: E402
from strikewatch.extract import extract_facts  # noqa: E402

REFERENCE = Path("/tmp/extract_reference.pkl")
CORPUS = Path("/tmp/extract_corpus")
ARTICLES = 300
ODD_TEXTS = [
    "",
    "\n\n\n",
    "Strike latest\n\nHospitals said that 12,8",
    "Doctors\x00strike\x00" * 50,
    "Resident doctors in England began a 72-hour strike at 7am on Monday.\r\n"
    "The trust said \u201cabout 40\u201d operations were cancelled, costing \u00a3200,000.\r\n",
    "x" * 5000,
    "9" * 3000 + " operations were cancelled",
]

Case = tuple[str, str, dt.date | None, list[tuple[int, int]]]


def _boilerplate(text: str) -> list[tuple[int, int]]:
    """Boilerplate spans of a document, the skip spans the pipeline passes."""
    return parse_document(text).boilerplate


def _manifest_dates(folder: Path) -> dict[str, dt.date]:
    """Published date of each file in a folder's sources.csv."""
    with (folder / "sources.csv").open(encoding="utf-8") as handle:
        return {
            row["file"]: dt.date.fromisoformat(row["published_date"])
            for row in csv.DictReader(handle)
        }


def cases() -> list[Case]:
    """Every input the reference covers: (name, text, published date, skip spans)."""
    if not (CORPUS / "sources.csv").exists():
        write_corpus(CORPUS, ARTICLES)
    found: list[Case] = []
    for name, published in sorted(_manifest_dates(CORPUS).items()):
        text = (CORPUS / name).read_text(encoding="utf-8")
        found.append((name, text, published, _boilerplate(text)))
    seeds = ROOT / "seeds"
    for name, published in sorted(_manifest_dates(seeds).items()):
        text = (seeds / name).read_text(encoding="utf-8")
        found.append((f"seed:{name}", text, published, _boilerplate(text)))
        found.append((f"seed-undated:{name}", text, None, []))
    for index, text in enumerate(ODD_TEXTS):
        found.append((f"odd:{index}", text, dt.date(2023, 3, 14), []))
    return found


def extract_all(inputs: list[Case]) -> dict[str, dict[str, list[dict]]]:
    """Facts of every case, by case name."""
    return {name: extract_facts(text, published, skip) for name, text, published, skip in inputs}


def time_loop(inputs: list[Case], repeats: int = 3) -> float:
    """Median seconds of a plain extraction loop over the corpus cases."""
    corpus = [case for case in inputs if ":" not in case[0]]
    times = []
    for _ in range(repeats):
        began = time.process_time()
        for _, text, published, skip in corpus:
            extract_facts(text, published, skip)
        times.append(time.process_time() - began)
    return statistics.median(times)


def differences(expected: dict, actual: dict) -> list[str]:
    """Names of the cases whose facts differ, with the first differing table."""
    found = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want == got and list(want or {}) == list(got or {}):
            continue
        tables = [t for t in (want or {}) if (want or {}).get(t) != (got or {}).get(t)]
        found.append(f"{name}: {', '.join(tables) or 'tables differ'}")
    return found


def linearity() -> tuple[float, float]:
    """Seconds to extract the seeds repeated to 400,000 and to 800,000 characters."""
    seeds = "\n\n".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))
    )
    timings = []
    for size in (400_000, 800_000):
        text = (seeds * (size // len(seeds) + 1))[:size]
        began = time.process_time()
        extract_facts(text, dt.date(2016, 4, 26), [])
        timings.append(time.process_time() - began)
    return timings[0], timings[1]


def time_in_turns(inputs: list[Case], other_root: Path, rounds: int = 3) -> tuple[float, float]:
    """Median seconds of the loop here and with the package in other_root, run alternately."""
    here, there = [], []
    command = [sys.executable, __file__, "--code-root", str(other_root), "--time-only"]
    for _ in range(rounds):
        here.append(time_loop(inputs, repeats=1))
        there.append(float(subprocess.run(command, capture_output=True, check=True).stdout))
    return statistics.median(here), statistics.median(there)


def main() -> int:
    """Build or check the reference; 1 when any output differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="write a new reference")
    parser.add_argument("--against", type=Path, help="also time the package in this folder")
    parser.add_argument("--linear", action="store_true", help="also time 400k and 800k texts")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the loop")
    parser.add_argument("--code-root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--time-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    inputs = cases()
    if args.time_only:
        print(time_loop(inputs, repeats=1))
        return 0
    corpus_count = sum(":" not in case[0] for case in inputs)
    outputs = extract_all(inputs)
    seconds = time_loop(inputs)
    per_article = 1000 * seconds / corpus_count
    status = 0
    if args.rebuild or not REFERENCE.exists():
        REFERENCE.write_bytes(pickle.dumps({"outputs": outputs, "ms_per_article": per_article}))
        print(f"reference written: {len(outputs)} cases to {REFERENCE}")
        print(f"reference speed: {per_article:.2f} ms/article ({corpus_count} articles)")
    else:
        reference = pickle.loads(REFERENCE.read_bytes())
        diffs = differences(reference["outputs"], outputs)
        for line in diffs:
            print("DIFFERENT", line)
        print(f"{len(outputs) - len(diffs)}/{len(outputs)} cases identical to the reference")
        before = reference["ms_per_article"]
        print(
            f"speed: {per_article:.2f} ms/article now, {before:.2f} before "
            f"({before / per_article:.2f}x), {corpus_count} articles, median of 3"
        )
        status = 1 if diffs else 0
    if args.against:
        here, there = time_in_turns(inputs, args.against)
        print(
            f"in turns: {1000 * here / corpus_count:.2f} ms/article here, "
            f"{1000 * there / corpus_count:.2f} with {args.against} ({there / here:.2f}x)"
        )
    if args.linear:
        short, long = linearity()
        print(f"400k chars: {short:.2f} s, 800k chars: {long:.2f} s (ratio {long / short:.2f})")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        time_loop(inputs, repeats=1)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    return status


if __name__ == "__main__":
    sys.exit(main())

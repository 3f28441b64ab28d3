"""Extraction throughput in MB/s per core, on real article text and on the synthetic corpus.

Each corpus is read, parsed (document layer) and extracted (analysis and every fact rule) in one
process, file by file; the figure is bytes over process CPU time, the median of several rounds.
`--against REV` times the code of another revision in the same run, round by round in turn with
this checkout, so both see the same machine load. A file the other code cannot finish within
--budget seconds is left out of both sides and named.

    .venv/bin/python bench/extraction_speed.py [--against REV] [--rounds N] [--articles N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

# Runs in a child process whose sys.path starts with the code to time. It adapts to the older
# extraction interface (extract_facts(text, published, skip)) so revisions can be compared.
CHILD = r"""
import datetime as dt, json, signal, sys, time
from pathlib import Path
files = json.loads(sys.argv[1]); budget = float(sys.argv[2])
from strikewatch.documents import parse_document
import strikewatch.extract as extract
modern = hasattr(extract, "Analysis")
def one(text):
    parsed = parse_document(text)
    published = parsed.header.published_date or dt.date(2023, 1, 1)
    if modern and hasattr(parsed, "normal"):
        extract.extract_facts(
            extract.Analysis.of(text, published, parsed.skip_spans, normal=parsed.normal))
    elif modern:
        extract.extract_facts(extract.Analysis.of(text, published, parsed.skip_spans))
    else:
        extract.extract_facts(text, published, parsed.boilerplate)
class Overran(Exception):
    pass
def stop(*_):
    raise Overran
signal.signal(signal.SIGALRM, stop)
texts, unfinished = [], []
for name in files:
    text = Path(name).read_text(encoding="utf-8")
    signal.alarm(int(budget))
    try:
        one(text)
        texts.append(text)
    except Overran:
        unfinished.append(name)
    finally:
        signal.alarm(0)
began = time.process_time()
for text in texts:
    one(text)
seconds = time.process_time() - began
size = sum(len(t.encode("utf-8")) for t in texts)
print(json.dumps({"bytes": size, "seconds": seconds, "unfinished": unfinished}))
"""


def real_articles() -> list[Path]:
    """The seed articles and, when present, the development sets' raw articles."""
    files = sorted((ROOT / "seeds").glob("*.txt"))
    files += sorted((ROOT.parent / "shared" / "dev").glob("*/raw/*.txt"))
    return files


def synthetic_articles(folder: Path, count: int) -> list[Path]:
    """A synthetic corpus of `count` articles (bench/make_corpus.py)."""
    sys.path.insert(0, str(BENCH_DIR))
    from make_corpus import write_corpus

    write_corpus(folder, count)
    return sorted(folder.rglob("*.txt"))


def measure(code_root: Path, files: list[Path], budget: float) -> dict:
    """One round: bytes, CPU seconds and unfinished files of extracting `files` with that code."""
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(code_root)!r})\n" + CHILD,
         json.dumps([str(f) for f in files]), str(budget)],
        capture_output=True, text=True, check=True, cwd=code_root,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def checkout(revision: str, into: Path) -> Path:
    """The package code of a revision, unpacked into a folder."""
    archive = subprocess.run(
        ["git", "archive", revision, "strikewatch", "schemas"], cwd=ROOT, capture_output=True,
        check=True,
    )  # fmt: skip
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="also time this revision's code (e.g. a commit)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=300, help="synthetic corpus size")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        codes = {"this checkout": ROOT}
        if args.against:
            codes[args.against] = checkout(args.against, Path(tmp) / "other")
        corpora = {
            "real articles": real_articles(),
            "synthetic": synthetic_articles(Path(tmp) / "corpus", args.articles),
        }
        print("| corpus | code | MB | MB/s per core (median of rounds) |")
        print("|---|---|---|---|")
        for corpus, files in corpora.items():
            unfinished = {
                name
                for root in codes.values()
                for name in measure(root, files, args.budget)["unfinished"]
            }
            kept = [f for f in files if str(f) not in unfinished]
            runs: dict[str, list[dict]] = {name: [] for name in codes}
            for _ in range(args.rounds):
                for name, root in codes.items():
                    runs[name].append(measure(root, kept, args.budget))
            for name, rounds in runs.items():
                rate = statistics.median(r["bytes"] / 1e6 / r["seconds"] for r in rounds)
                print(f"| {corpus} | {name} | {rounds[0]['bytes'] / 1e6:.2f} | {rate:.2f} |")
            for name in sorted(unfinished):
                print(f"| {corpus} | (left out: {Path(name).name} did not finish in "
                      f"{args.budget:g} s with one of the codes) | | |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Whether this checkout extracts exactly what another revision does, row by row.

Every seed article, every development article (../shared/dev/*/raw, with their manifests), a
synthetic corpus (bench/make_corpus.py) and the fuzz test's mutated sentences (tests/test_fuzz.py)
go through `document_rows` with this checkout's code and with the code of
REV, each in its own process. Every row of every table (articles, posts, every fact table) is
compared; each difference is printed with its file and table. Exit status 1 when any differs.

    .venv/bin/python bench/same_output.py --against REV [--articles N] [--mutants N]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from extraction_speed import checkout

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

# Runs in a child process whose sys.path starts with the code to compare. Input: a JSON list of
# [corpus, folder, manifest or null] and of mutant texts; output: one JSON line per document.
CHILD = r"""
import json, sys
from pathlib import Path
from strikewatch.ingest import DecodedDocument, Rejection, discover_files, read_document
from strikewatch.manifest import load_manifest
try:
    from strikewatch.document_rows import document_rows
except ImportError:  # revisions before the dbt project
    from strikewatch.rows import document_rows
folders, mutants, out = json.loads(Path(sys.argv[1]).read_text()), [], open(sys.argv[2], "w")
def emit(corpus, source_file, rows):
    for row in rows.get("extracted.documents", rows.get("raw.documents", [])):
        row.pop("text", None)  # the document id stands for it
    line = {"corpus": corpus, "file": source_file, "rows": rows}
    out.write(json.dumps(line, sort_keys=True, default=repr, ensure_ascii=False) + "\n")
for corpus, folder, manifest_path in folders["folders"]:
    folder = Path(folder)
    manifest_path = Path(manifest_path) if manifest_path else None
    files = [c.source_file for c in discover_files(folder, manifest_path).candidates]
    manifest = load_manifest(manifest_path, set(files))
    for source_file in files:
        doc = read_document(folder / source_file, source_file)
        if isinstance(doc, Rejection):
            emit(corpus, source_file, {"rejected": [{"reason": doc.reason}]})
            continue
        emit(corpus, source_file, document_rows(doc, manifest.entries.get(source_file)))
for index, text in enumerate(folders["mutants"]):
    name = f"mutant-{index}.txt"
    doc = DecodedDocument(name, f"{index:064d}", len(text.encode()), "utf-8", text)
    emit("mutants", name, document_rows(doc, None))
out.close()
"""


def folders(synthetic: Path, articles: int) -> list[tuple[str, str, str | None]]:
    """(corpus, folder, manifest) of the seeds, each development set and a synthetic corpus."""
    found = [("seeds", str(ROOT / "seeds"), str(ROOT / "seeds" / "sources.csv"))]
    for raw in sorted((ROOT.parent / "shared" / "dev").glob("*/raw")):
        manifest = raw.parent / "sources.csv"
        found.append((raw.parent.name, str(raw), str(manifest) if manifest.exists() else None))
    sys.path.insert(0, str(BENCH_DIR))
    from make_corpus import write_corpus

    write_corpus(synthetic, articles)
    found.append(("synthetic", str(synthetic), str(synthetic / "sources.csv")))
    return found


def mutants(count: int) -> list[str]:
    """The fuzz test's mutated real sentences (its generator and seed, `count` of them)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_fuzz import _mutant, _sentences

    rng = random.Random(20261130)
    sentences = _sentences()
    texts = [_mutant(rng, sentences) for _ in range(count)]
    return [text for text in texts if text.strip()]


def extract(code_root: Path, job: Path, out: Path) -> dict[tuple[str, str], dict]:
    """Rows of every document, by (corpus, file), as that code extracts them."""
    subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(code_root)!r})\n" + CHILD,
         str(job), str(out)],
        check=True, cwd=code_root,
    )  # fmt: skip
    documents = {}
    with out.open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            documents[item["corpus"], item["file"]] = item["rows"]
    return documents


def differences(ours: dict, theirs: dict, revision: str) -> list[str]:
    """Every row one side has and the other lacks, and rows that come in another order."""
    found = []
    for key in sorted(set(ours) | set(theirs)):
        if key not in ours or key not in theirs:
            side = "this checkout" if key in ours else revision
            found.append(f"{key[0]}/{key[1]}: only extracted by {side}")
            continue
        for table in sorted(set(ours[key]) | set(theirs[key])):
            mine, other = ours[key].get(table, []), theirs[key].get(table, [])
            if mine == other:
                continue
            mine_rows = Counter(json.dumps(row, sort_keys=True) for row in mine)
            other_rows = Counter(json.dumps(row, sort_keys=True) for row in other)
            if mine_rows == other_rows:
                found.append(f"{key[0]}/{key[1]} {table}: same rows in another order")
                continue
            for row in sorted((other_rows - mine_rows).elements()):
                found.append(f"{key[0]}/{key[1]} {table}: only {revision}: {row}")
            for row in sorted((mine_rows - other_rows).elements()):
                found.append(f"{key[0]}/{key[1]} {table}: only this checkout: {row}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="main", help="revision to compare with")
    parser.add_argument("--articles", type=int, default=300, help="synthetic corpus size")
    parser.add_argument("--mutants", type=int, default=200, help="mutated texts (fuzz test's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        job = Path(tmp) / "job.json"
        job.write_text(
            json.dumps(
                {
                    "folders": folders(Path(tmp) / "synthetic", args.articles),
                    "mutants": mutants(args.mutants),
                }
            ),
            encoding="utf-8",
        )
        other_root = checkout(args.against, Path(tmp) / "other")
        ours = extract(ROOT, job, Path(tmp) / "ours.jsonl")
        theirs = extract(other_root, job, Path(tmp) / "theirs.jsonl")
    found = differences(ours, theirs, args.against)
    by_corpus = Counter(corpus for corpus, _ in ours)
    rows = sum(len(table) for tables in ours.values() for table in tables.values())
    for line in found:
        print(line)
    print(
        f"{len(ours)} documents ({', '.join(f'{n} {c}' for c, n in by_corpus.items())}), "
        f"{rows} rows: {len(found)} difference(s) from {args.against}"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

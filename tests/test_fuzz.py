"""Extraction of any text ends within its time budget, never raises, and stays grounded.

Texts are real sentences (the seed articles and the rule cases) mutated by a seeded random
generator: cut short, joined, repeated, punctuation and quote marks swapped, spaces removed.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from strikewatch.budget import BudgetedPool, Failed, Overran
from strikewatch.ingest import DecodedDocument

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = 200
MAX_CHARS = 30_000  # longer than most real articles; the budget is per file, whatever its size
SWAPS = [(".", ","), (",", "."), ('"', "“"), ("“", '"'), ("”", "‘"), ("'", "’"), ("-", "–"),
         (" ", "\n"), ("(", ""), (")", ""), (":", " said:"), ("%", " per cent")]  # fmt: skip


def _sentences() -> list[str]:
    found = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        found += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted((ROOT / "tests" / "cases").glob("*.yaml")):
        found += [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return found


def _mutant(rng: random.Random, sentences: list[str]) -> str:
    text = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
    for _ in range(rng.randint(1, 4)):
        mutation = rng.randrange(6)
        if mutation == 0:
            text = text[: rng.randint(0, len(text))]
        elif mutation == 1:
            old, new = rng.choice(SWAPS)
            text = text.replace(old, new)
        elif mutation == 2:
            text = text * rng.randint(2, 30)
        elif mutation == 3:
            text = text.replace(" ", "", rng.randint(1, 20))
        elif mutation == 4:
            cut = rng.randint(0, len(text))
            text = (
                text[:cut]
                + rng.choice(['"', "“", "‘", "’", "(", "\n\n", "Quote Message"])
                + text[cut:]
            )
        else:
            text = text.upper() if rng.random() < 0.5 else text.lower()
    return text[:MAX_CHARS]


def test_mutated_real_sentences_extract_within_budget_grounded():
    rng = random.Random(20261130)
    sentences = _sentences()
    texts = [_mutant(rng, sentences) for _ in range(MUTANTS)]
    items = [
        (DecodedDocument(f"mutant-{i}.txt", f"{i:064d}", len(t.encode()), "utf-8", t), None)
        for i, t in enumerate(texts)
        if t.strip()
    ]
    with BudgetedPool("strikewatch.document_rows:rows_of", workers=2, seconds=10.0) as pool:
        for (doc, _), rows in pool.map(items):
            assert not isinstance(rows, Overran | Failed), (rows, doc.text[:300])
            for table, table_rows in rows.items():
                for row in table_rows:
                    if "evidence" in row:
                        assert doc.text[row["char_start"] : row["char_end"]] == row["evidence"], (
                            table,
                            row,
                        )

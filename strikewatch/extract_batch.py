"""The extract step: a batch of files read, decoded and turned into rows, stored for the load step.

Each file goes through `document_rows` (or comes from the extraction cache); a file that cannot
be read, is too long, or on which a rule raises is quarantined with its reason, never raised.
Steps hand each other file paths: a batch is one pickle of rows per table.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.tables import TABLES
from strikewatch.budget import BudgetedPool, Failed, Overran
from strikewatch.document_rows import Rows
from strikewatch.extraction_cache import ExtractionCache
from strikewatch.ingest import Manifest, Rejection, read_document
from strikewatch.settings import Settings


def empty_rows() -> Rows:
    """One empty list per loaded table."""
    return {name: [] for name in TABLES}


@dataclass
class Batch:
    """Rows of a batch of files, and which files were extracted or taken from the cache."""

    rows: Rows
    extracted: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def rejected_file_row(run_id: str, rejection: Rejection) -> dict:
    """A quarantine.rejected_files row."""
    return {"run_id": run_id, "source_file": rejection.source_file, "reason": rejection.reason}


EXTRACT_ONE = "strikewatch.document_rows:rows_of"  # what a worker runs for each file


def process_batch(
    source_dir: Path,
    source_files: Sequence[str],
    manifest: Manifest,
    run_id: str,
    cache: ExtractionCache | None = None,
    extract_one: str = EXTRACT_ONE,
) -> Batch:
    """Read, parse and extract a batch of files; a failing file is quarantined, not raised.

    Files not in the cache are extracted in a worker process each within the time budget
    (STRIKEWATCH_EXTRACTION_SECONDS): one past it, or one a rule raises on, is quarantined.
    """
    batch = Batch(empty_rows())
    rows = batch.rows
    settings = Settings()
    to_extract = []
    for source_file in source_files:
        result = read_document(source_dir / source_file, source_file)
        if isinstance(result, Rejection):
            rows["quarantine.rejected_files"].append(rejected_file_row(run_id, result))
            continue
        if len(result.text) > settings.max_article_chars:
            reason = (
                f"too long to extract facts from: {len(result.text):,} characters (limit "
                f"{settings.max_article_chars:,}; set STRIKEWATCH_MAX_ARTICLE_CHARS to raise it)"
            )
            rejection = Rejection(source_file, reason, "too_long")
            rows["quarantine.rejected_files"].append(rejected_file_row(run_id, rejection))
            continue
        entry = manifest.entries.get(source_file)
        doc_rows = cache.get(result, entry) if cache else None
        if doc_rows is None:
            to_extract.append((result, entry))
            continue
        batch.reused.append(source_file)
        _add(rows, doc_rows)
    if not to_extract:
        return batch
    budget = settings.extraction_seconds
    with BudgetedPool(extract_one, seconds=budget) as pool:
        for (doc, entry), outcome in pool.map(to_extract):
            if isinstance(outcome, Overran | Failed):
                rejection = (
                    Rejection(
                        doc.source_file,
                        f"extraction took longer than {budget:g} s, the time budget per file "
                        "(set STRIKEWATCH_EXTRACTION_SECONDS to change it)",
                        "too_slow",
                    )
                    if isinstance(outcome, Overran)
                    else Rejection(
                        doc.source_file, f"extraction failed: {outcome.error}", "extraction_error"
                    )
                )
                rows["quarantine.rejected_files"].append(rejected_file_row(run_id, rejection))
                continue
            batch.extracted.append(doc.source_file)
            if cache:
                cache.put(doc, entry, outcome)
            _add(rows, outcome)
    return batch


def _add(rows: Rows, doc_rows: Rows) -> None:
    for table, table_rows in doc_rows.items():
        rows[table].extend(table_rows)


def write_batch(batch: Batch, path: Path) -> Path:
    """Store a batch for the load step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        pickle.dump(batch, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def read_batches(paths: Iterable[Path]) -> Batch:
    """Concatenate several stored batches."""
    merged = Batch(empty_rows())
    for path in paths:
        with open(path, "rb") as handle:
            batch: Batch = pickle.load(handle)
        for table, table_rows in batch.rows.items():
            merged.rows[table].extend(table_rows)
        merged.extracted += batch.extracted
        merged.reused += batch.reused
    return merged

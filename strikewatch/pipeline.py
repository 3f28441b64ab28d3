"""The pipeline's steps as plain functions; flows/build_warehouse.py runs them as Prefect tasks.

Steps hand each other file paths: a batch of articles is processed into a pickle of rows per
table, and the load step reads those pickles into the build database.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from schemas.tables import FACT_TABLES, TABLES
from strikewatch.budget import BudgetedPool, Failed, Overran
from strikewatch.extract import EXTRACTOR_VERSION
from strikewatch.fingerprint import rules_digest
from strikewatch.ingest import (
    DecodedDocument,
    Manifest,
    Rejection,
    duplicate_reason,
    find_duplicates,
    read_document,
)
from strikewatch.rows import Rows, document_rows, stable_id
from strikewatch.settings import Settings


def empty_rows() -> Rows:
    """One empty list per warehouse table."""
    return {name: [] for name in TABLES}


def rejected_file_row(run_id: str, rejection: Rejection) -> dict:
    """A quarantine.rejected_files row."""
    return {"run_id": run_id, "source_file": rejection.source_file, "reason": rejection.reason}


# --- a batch of documents ------------------------------------------------------------------


@dataclass
class Batch:
    """Rows of a batch of files, and which files were extracted or taken from the cache."""

    rows: Rows
    extracted: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def process_batch(
    source_dir: Path,
    source_files: Sequence[str],
    manifest: Manifest,
    run_id: str,
    cache: ExtractionCache | None = None,
) -> Batch:
    """Read, parse and extract a batch of files; a failing file is quarantined, not raised."""
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
        for table, table_rows in doc_rows.items():
            rows[table].extend(table_rows)
    if not to_extract:
        return batch
    budget = settings.extraction_seconds
    with BudgetedPool("strikewatch.rows:rows_of", seconds=budget) as pool:
        for (doc, entry), outcome in pool.map(to_extract):
            if isinstance(outcome, Overran | Failed):
                reason = (
                    f"extraction took longer than {budget:g} s, the time budget per file "
                    "(set STRIKEWATCH_EXTRACTION_SECONDS to change it)"
                    if isinstance(outcome, Overran)
                    else f"extraction failed: {outcome.error}"
                )
                kind = "too_slow" if isinstance(outcome, Overran) else "extraction_error"
                rows["quarantine.rejected_files"].append(
                    rejected_file_row(run_id, Rejection(doc.source_file, reason, kind))
                )
                continue
            batch.extracted.append(doc.source_file)
            if cache:
                cache.put(doc, entry, outcome)
            for table, table_rows in outcome.items():
                rows[table].extend(table_rows)
    return batch


class ExtractionCache:
    """Rows of already-processed documents, keyed by content, manifest entry and rule version.

    One pickle per document in a folder beside the warehouse; a rerun reuses them instead of
    parsing and extracting again. Writes are atomic, so a killed run leaves no torn entry.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def key(self, doc: DecodedDocument, entry: object) -> str:
        """Cache key of a document as this run would process it."""
        return stable_id(doc.document_id, repr(entry), EXTRACTOR_VERSION, rules_digest())

    def get(self, doc: DecodedDocument, entry: object) -> Rows | None:
        """The cached rows for this document, renamed to its current file name; None on a miss."""
        path = self.folder / f"{self.key(doc, entry)}.pkl"
        try:
            with open(path, "rb") as handle:
                rows: Rows = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError):
            return None
        os.utime(path)  # marks the entry as used by this run (see prune)
        for table_rows in rows.values():
            for row in table_rows:
                row["source_file"] = doc.source_file
        return rows

    def put(self, doc: DecodedDocument, entry: object, rows: Rows) -> None:
        """Store a document's rows."""
        path = self.folder / f"{self.key(doc, entry)}.pkl"
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(partial, "wb") as handle:
            pickle.dump(rows, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)

    def prune(self, unused_since: float) -> int:
        """Delete entries no run has used since the given time; returns how many went."""
        removed = 0
        for path in self.folder.glob("*.pkl"):
            if path.stat().st_mtime < unused_since:
                path.unlink(missing_ok=True)
                removed += 1
        for partial in self.folder.glob(".*.tmp"):
            partial.unlink(missing_ok=True)
        return removed


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


def drop_duplicate_documents(rows: Rows, run_id: str) -> Rows:
    """Keep the first file (by name) of each content; quarantine the later copies."""
    copies = find_duplicates(DecodedDocument(**row) for row in rows["raw.documents"])
    if not copies:
        return rows
    kept = {
        table: [row for row in table_rows if row.get("source_file") not in copies]
        for table, table_rows in rows.items()
        if not table.startswith("quarantine.")
    }
    kept["quarantine.rejected_files"] = rows["quarantine.rejected_files"] + [
        {"run_id": run_id, "source_file": copy, "reason": duplicate_reason(original)}
        for copy, original in sorted(copies.items())
    ]
    kept["quarantine.rejected_rows"] = rows["quarantine.rejected_rows"]
    return kept


# --- validation ----------------------------------------------------------------------------


@dataclass
class Validated:
    """A table's rows split into a loadable frame and quarantined rows."""

    frame: pd.DataFrame
    rejected: list[dict] = field(default_factory=list)


def _frame(table: str, table_rows: list[dict]) -> pd.DataFrame:
    columns = list(TABLES[table].to_schema().columns)
    return pd.DataFrame(table_rows, columns=columns)


def validate_table(table: str, table_rows: list[dict], run_id: str) -> Validated:
    """Validate lazily; rows that fail any check are quarantined with the failed checks."""
    model = TABLES[table]
    frame = _frame(table, table_rows)
    try:
        return Validated(model.validate(frame, lazy=True))
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    reasons: dict[object, list[str]] = {}
    table_wide: list[str] = []
    for case in failures.itertuples():
        reason = f"{case.column}: {case.check}" if case.column else str(case.check)
        if case.index is None or pd.isna(case.index):
            table_wide.append(reason)
        else:
            reasons.setdefault(case.index, []).append(f"{reason} (got {case.failure_case!r})")
    if table_wide:
        bad_index = list(frame.index)
        for index in bad_index:
            reasons.setdefault(index, []).extend(table_wide)
    rejected = [
        {
            "run_id": run_id,
            "table_name": table,
            "source_file": frame.at[index, "source_file"] if "source_file" in frame else None,
            "row_json": frame.loc[index].to_json(date_format="iso", default_handler=str),
            "failed_check": "; ".join(dict.fromkeys(reasons[index])),
        }
        for index in reasons
    ]
    good = frame.drop(index=list(reasons))
    return Validated(model.validate(good, lazy=True) if not good.empty else good, rejected)


__all__ = [
    "FACT_TABLES",
    "Batch",
    "ExtractionCache",
    "Rows",
    "Validated",
    "document_rows",
    "drop_duplicate_documents",
    "process_batch",
    "read_batches",
    "stable_id",
    "validate_table",
    "write_batch",
]

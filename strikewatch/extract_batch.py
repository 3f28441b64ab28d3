"""The extract step: a batch of files read, decoded and turned into rows, stored for the load step.

Each file goes through `document_rows` (or comes from the extraction cache); a file that cannot
be read, is too long, or on which a rule raises is quarantined with its reason, never raised.
Steps hand each other file paths: a batch is a JSON-lines file (`write_batch`), data only.

A file the plan read is taken from its snapshot (the bytes the plan hashed); any other is read
from the source and its hash compared with the one the plan recorded: a file rewritten since is
listed in `Batch.changed_during_run`, so the run does not call its rows current.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from schemas.tables import TABLES
from strikewatch.atomic_file import replace_atomically
from strikewatch.budget import BudgetedPool, Failed, Overran
from strikewatch.document_rows import Rows
from strikewatch.extraction_cache import ExtractionCache
from strikewatch.file_state import content_hash
from strikewatch.fingerprint import unreadable
from strikewatch.ingest import (
    DecodedDocument,
    Manifest,
    ManifestEntry,
    Rejection,
    decode_document,
    read_document_bytes,
)
from strikewatch.settings import Settings

BATCH_FORMAT = "strikewatch-batch/1"


def empty_rows() -> Rows:
    """One empty list per loaded table."""
    return {name: [] for name in TABLES}


@dataclass
class Batch:
    """Rows of a batch of files, and which files were extracted or taken from the cache."""

    rows: Rows
    extracted: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    changed_during_run: list[str] = field(default_factory=list)  # bytes differ from the plan's
    # id(row) -> (the row, the row as JSON), for rows encoded as they came from a worker:
    # stored once. Holding the row keeps it alive, so its id names no other row meanwhile.
    encoded: dict[int, tuple[dict, str]] = field(default_factory=dict, repr=False, compare=False)


def rejected_file_row(run_id: str, rejection: Rejection) -> dict:
    """A quarantine.rejected_files row."""
    return {"run_id": run_id, "source_file": rejection.source_file, "reason": rejection.reason}


EXTRACT_ONE = "strikewatch.document_rows:rows_of"  # what a worker runs for each file
_SHARED_POOLS: dict[tuple[str, float], BudgetedPool] = {}


@contextmanager
def extraction_pool(workers: int, extract_one: str = EXTRACT_ONE) -> Iterator[None]:
    """Keep one pool of `workers` extraction processes for every batch extracted in the block.

    Without it each batch starts (and stops) a pool of one worker of its own.
    """
    seconds = Settings().extraction_seconds
    key = (extract_one, seconds)
    if key in _SHARED_POOLS:
        yield
        return
    with BudgetedPool(extract_one, workers=workers, seconds=seconds) as pool:
        pool.launch()
        _SHARED_POOLS[key] = pool
        try:
            yield
        finally:
            _SHARED_POOLS.pop(key, None)


@contextmanager
def _pool_for(extract_one: str, seconds: float) -> Iterator[BudgetedPool]:
    shared = _SHARED_POOLS.get((extract_one, seconds))
    if shared is not None:
        yield shared
        return
    with BudgetedPool(extract_one, seconds=seconds) as pool:
        yield pool


def _read(
    source_dir: Path, source_file: str, expected: str | None, snapshot_dir: Path | None
) -> tuple[bytes | Rejection, bool]:
    """The file's bytes (or why it cannot be read), and whether they are the ones planned.

    The snapshot of the planned bytes when there is one; else the source, read once.
    """
    if expected is not None and snapshot_dir is not None:
        try:
            with open(snapshot_dir / expected, "rb") as handle:
                data = handle.read()
        except OSError:
            pass
        else:
            if content_hash(data) == expected:
                return data, True
    data = read_document_bytes(source_dir / source_file, source_file)
    if expected is None:
        return data, True
    digest = content_hash(data if isinstance(data, bytes) else unreadable(data))
    return data, digest == expected


def process_batch(
    source_dir: Path,
    source_files: Sequence[str],
    manifest: Manifest,
    run_id: str,
    cache: ExtractionCache | None = None,
    extract_one: str = EXTRACT_ONE,
    expected: dict[str, str] | None = None,
    snapshot_dir: Path | None = None,
) -> Batch:
    """Read, parse and extract a batch of files; a failing file is quarantined, not raised.

    Files not in the cache are extracted in a worker process each within the time budget
    (STRIKEWATCH_EXTRACTION_SECONDS): one past it, or one a rule raises on, is quarantined.
    `expected` holds the sha256 the plan recorded per file, `snapshot_dir` the bytes it read.
    """
    batch = Batch(empty_rows())
    settings = Settings()
    budget = settings.extraction_seconds
    extracted = empty_rows()  # after the rows read from the cache, as files were before
    with _pool_for(extract_one, budget) as pool:
        to_extract = _read_batch_files(
            source_dir, source_files, manifest, run_id, cache, expected, snapshot_dir, batch
        )
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
                extracted["quarantine.rejected_files"].append(rejected_file_row(run_id, rejection))
                continue
            batch.extracted.append(doc.source_file)
            row_json = _encode_rows(outcome, batch.encoded)
            if cache:
                cache.put(doc, entry, outcome, row_json)
            _add(extracted, outcome)
    _add(batch.rows, extracted)
    return batch


def _read_batch_files(
    source_dir: Path,
    source_files: Sequence[str],
    manifest: Manifest,
    run_id: str,
    cache: ExtractionCache | None,
    expected: dict[str, str] | None,
    snapshot_dir: Path | None,
    batch: Batch,
) -> Iterator[tuple[DecodedDocument, ManifestEntry | None]]:
    """Read and decode the files one by one, as the pool asks for them, yielding those to extract.

    Files that cannot be read or are too long go to the batch's quarantine rows, files in the
    cache to its rows.
    """
    rows = batch.rows
    settings = Settings()
    for source_file in source_files:
        data, as_planned = _read(
            source_dir, source_file, (expected or {}).get(source_file), snapshot_dir
        )
        if not as_planned:
            batch.changed_during_run.append(source_file)
        result = data if isinstance(data, Rejection) else decode_document(data, source_file)
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
            yield result, entry
            continue
        batch.reused.append(source_file)
        _add(rows, doc_rows)


def _encode_rows(doc_rows: Rows, encoded: dict[int, tuple[dict, str]]) -> dict[str, list[str]]:
    """Each row as JSON, table by table, noted in `encoded` too: encoded while the workers
    extract, once for both the cache entry and the stored batch."""
    row_json = {}
    for table, table_rows in doc_rows.items():
        row_json[table] = texts = [_ENCODER.encode(row) for row in table_rows]
        encoded.update((id(row), (row, text)) for row, text in zip(table_rows, texts, strict=True))
    return row_json


def _add(rows: Rows, doc_rows: Rows) -> None:
    for table, table_rows in doc_rows.items():
        rows[table].extend(table_rows)


def write_batch(batch: Batch, path: Path) -> Path:
    """Store a batch for the load step: a header line, then one [table, row] line per row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {
        "format": BATCH_FORMAT,
        "extracted": batch.extracted,
        "reused": batch.reused,
        "changed_during_run": batch.changed_during_run,
        "documents": [
            [row["source_file"], row["document_id"]] for row in batch.rows["extracted.documents"]
        ],
    }

    def write(partial: Path) -> None:
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(header) + "\n")
            for table, table_rows in batch.rows.items():
                start = f"[{json.dumps(table)}, "  # a line is [table, row]
                for row in table_rows:
                    known = batch.encoded.get(id(row))
                    row_json = known[1] if known else _ENCODER.encode(row)
                    handle.write(f"{start}{row_json}]\n")

    replace_atomically(path, write)
    return path


@dataclass
class BatchIndex:
    """What the headers of stored batches say: files and documents, without the rows."""

    documents: list[tuple[str, str]] = field(default_factory=list)  # (source_file, document_id)
    extracted: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    changed_during_run: list[str] = field(default_factory=list)
    files_per_batch: int = 1


def _header(handle, path: Path) -> dict:
    header = json.loads(next(handle, "null"))
    if not isinstance(header, dict) or header.get("format") != BATCH_FORMAT:
        raise ValueError(f"{path} is not a stored batch")
    return header


def read_batch_index(paths: Iterable[Path]) -> BatchIndex:
    """The headers of several stored batches, merged."""
    index = BatchIndex()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            header = _header(handle, path)
        index.documents += [(name, digest) for name, digest in header["documents"]]
        index.extracted += header["extracted"]
        index.reused += header["reused"]
        index.changed_during_run += header["changed_during_run"]
        files = len(header["extracted"]) + len(header["reused"])
        index.files_per_batch = max(index.files_per_batch, files)
    return index


def read_batch(path: Path) -> Batch:
    """A batch `write_batch` stored; a file of any other shape raises ValueError."""
    batch = Batch(empty_rows())
    with open(path, encoding="utf-8") as handle:
        header = _header(handle, path)
        batch.extracted = list(header["extracted"])
        batch.reused = list(header["reused"])
        batch.changed_during_run = list(header["changed_during_run"])
        for line in handle:
            table, row = json.loads(line, object_hook=_typed_value)
            if table not in batch.rows or not isinstance(row, dict):
                raise ValueError(f"{path} holds a row of unknown table {table!r}")
            batch.rows[table].append(row)
    return batch


def read_batches(paths: Iterable[Path]) -> Batch:
    """Concatenate several stored batches."""
    merged = Batch(empty_rows())
    for path in paths:
        batch = read_batch(path)
        for table, table_rows in batch.rows.items():
            merged.rows[table].extend(table_rows)
        merged.extracted += batch.extracted
        merged.reused += batch.reused
        merged.changed_during_run += batch.changed_during_run
    return merged


def _tagged(value: object) -> dict:
    """Dates and times as {"$date": iso} / {"$datetime": iso}: JSON has neither."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"a row value of type {type(value).__name__} cannot be stored")


def _typed_value(obj: dict) -> object:
    if len(obj) == 1:
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
    return obj


_ENCODER = json.JSONEncoder(default=_tagged, ensure_ascii=False)

"""The extraction cache: rows of already-processed documents, so a rerun extracts only changes."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from strikewatch.document_rows import Rows, stable_id
from strikewatch.extract import EXTRACTOR_VERSION
from strikewatch.fingerprint import rules_digest
from strikewatch.ingest import DecodedDocument


class ExtractionCache:
    """Rows of already-processed documents, keyed by content, manifest entry and rule version.

    One pickle per document in a folder beside the warehouse; a rerun reuses them instead of
    parsing and extracting again. Writes are atomic, so a killed run leaves no torn entry.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(document_id: str, entry: object) -> str:
        """Cache key of a document (sha256 of its bytes) as this run would process it."""
        return stable_id(document_id, repr(entry), EXTRACTOR_VERSION, rules_digest())

    def get(self, doc: DecodedDocument, entry: object) -> Rows | None:
        """The cached rows for this document, renamed to its current file name; None on a miss."""
        path = self.folder / f"{self.key(doc.document_id, entry)}.pkl"
        try:
            with open(path, "rb") as handle:
                rows: Rows = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError):
            return None
        for table_rows in rows.values():
            for row in table_rows:
                row["source_file"] = doc.source_file
        return rows

    def put(self, doc: DecodedDocument, entry: object, rows: Rows) -> None:
        """Store a document's rows."""
        path = self.folder / f"{self.key(doc.document_id, entry)}.pkl"
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(partial, "wb") as handle:
            pickle.dump(rows, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)

    def prune(self, keep: set[str]) -> int:
        """Delete every entry whose key is not in `keep`; returns how many went."""
        removed = 0
        for path in self.folder.glob("*.pkl"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        for partial in self.folder.glob(".*.tmp"):
            partial.unlink(missing_ok=True)
        return removed

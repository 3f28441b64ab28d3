"""The extraction cache: rows of already-processed documents, so a rerun extracts only changes.

Entries are JSON, never pickles: whoever can write the cache folder can at most make the run
extract a file again. An entry is used only when it reads back as rows of the right shape for
the very document at hand (every table, every column with a value of its type, the document's
own text, evidence at its offsets); anything else (a torn, foreign, hostile or outdated entry,
a link, a pipe, an oversized file) is a miss.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import date, datetime
from functools import cache
from pathlib import Path

from strikewatch.atomic_file import replace_atomically
from strikewatch.document_rows import DOCUMENT_TABLES, Rows, stable_id
from strikewatch.extract import EXTRACTOR_VERSION
from strikewatch.fingerprint import rules_digest
from strikewatch.ingest import DecodedDocument

FORMAT = "strikewatch extraction cache 2"
SUFFIX = ".json"
MAX_ENTRY_BYTES_PER_TEXT_BYTE = 64  # an entry holds the text, post bodies and evidence


class _NotAnEntry(ValueError):
    """What was read is not rows of the expected shape for this document."""


def _encode_value(value: object) -> object:
    """JSON for the values rows hold beyond JSON's own: dates and times, tagged."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__} in the extraction cache")


def _decode_object(obj: dict) -> object:
    if len(obj) == 1:
        if "$datetime" in obj:
            return datetime.fromisoformat(_text(obj["$datetime"]))
        if "$date" in obj:
            return date.fromisoformat(_text(obj["$date"]))
    return obj


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _NotAnEntry("a date that is not text")
    return value


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


_TYPE_CHECKS = {
    "VARCHAR": lambda value: isinstance(value, str),
    "JSON": lambda value: isinstance(value, str),
    "BIGINT": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "DOUBLE": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "BOOLEAN": lambda value: isinstance(value, bool),
    "DATE": _is_date,
    "TIMESTAMP": lambda value: isinstance(value, date),
    "TIMESTAMPTZ": lambda value: isinstance(value, date),
    "VARCHAR[]": _is_text_list,
}


@cache
def _column_checks(table: str) -> dict[str, object]:
    """Column name -> check of a non-null value, from the table's pandera model."""
    # imported here: a run plans (ExtractionCache.key) before it needs pandas and pandera
    from schemas.tables import TABLES, model_columns

    return {name: _TYPE_CHECKS[sql_type] for name, sql_type, _ in model_columns(TABLES[table])}


def _checked_rows(stored: object, doc: DecodedDocument, key: str) -> Rows:
    """The rows of a decoded entry, or _NotAnEntry when they are not this document's rows."""
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("key") != key:
        raise _NotAnEntry("not an entry of this cache for this key")
    rows = stored.get("rows")
    if not isinstance(rows, dict) or set(rows) != set(DOCUMENT_TABLES):
        raise _NotAnEntry("not one list of rows per document table")
    for table, table_rows in rows.items():
        checks = _column_checks(table)
        if not isinstance(table_rows, list):
            raise _NotAnEntry(f"{table}: not a list of rows")
        for row in table_rows:
            if not isinstance(row, dict) or set(row) != set(checks):
                raise _NotAnEntry(f"{table}: a row without the table's columns")
            for column, value in row.items():
                if value is not None and not checks[column](value):
                    raise _NotAnEntry(f"{table}.{column}: a value of the wrong type")
    documents = rows["extracted.documents"]
    if len(documents) != 1:
        raise _NotAnEntry("not one document row")
    document = documents[0]
    if (document["document_id"], document["text"]) != (doc.document_id, doc.text):
        raise _NotAnEntry("another document's rows")
    text = doc.text
    for table in DOCUMENT_TABLES[1:]:
        for row in rows[table]:
            if "document_id" in row and row["document_id"] != doc.document_id:
                raise _NotAnEntry(f"{table}: a row of another document")
            if "char_start" not in row:
                continue
            start, end = row["char_start"], row["char_end"]
            if start is None or end is None or not 0 <= start <= end <= len(text):
                raise _NotAnEntry(f"{table}: offsets outside the text")
            if "evidence" in row and row["evidence"] != text[start:end]:
                raise _NotAnEntry(f"{table}: evidence that is not the text at its offsets")
    return rows


def _read_entry(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes; None for anything else.

    Never follows a link and never blocks on a pipe.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


class ExtractionCache:
    """Rows of already-processed documents, keyed by content, manifest entry and rule version.

    One JSON file per document in a folder beside the warehouse; a rerun reuses them instead of
    parsing and extracting again. Writes are atomic, so a killed run leaves no torn entry.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(document_id: str, entry: object) -> str:
        """Cache key of a document (sha256 of its bytes) as this run would process it."""
        return stable_id(document_id, repr(entry), EXTRACTOR_VERSION, rules_digest())

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def get(self, doc: DecodedDocument, entry: object) -> Rows | None:
        """The cached rows for this document, renamed to its current file name; None on a miss."""
        key = self.key(doc.document_id, entry)
        limit = MAX_ENTRY_BYTES_PER_TEXT_BYTE * max(doc.bytes, len(doc.text)) + 1_000_000
        data = _read_entry(self._path(key), limit)
        if data is None:
            return None
        try:
            rows = _checked_rows(json.loads(data, object_hook=_decode_object), doc, key)
        except (ValueError, TypeError, RecursionError):  # _NotAnEntry is a ValueError
            return None
        for table_rows in rows.values():
            for row in table_rows:
                row["source_file"] = doc.source_file
        return rows

    def put(
        self,
        doc: DecodedDocument,
        entry: object,
        rows: Rows,
        row_json: dict[str, list[str]] | None = None,
    ) -> None:
        """Store a document's rows; `row_json`, when given, holds each row as JSON already."""
        key = self.key(doc.document_id, entry)
        if row_json is None:
            stored = {"format": FORMAT, "key": key, "rows": rows}
            text = json.dumps(stored, default=_encode_value, ensure_ascii=False)
        else:  # what json.dumps makes of the same entry
            tables = ", ".join(
                f"{json.dumps(table)}: [{', '.join(texts)}]" for table, texts in row_json.items()
            )
            text = f'{{"format": {json.dumps(FORMAT)}, "key": "{key}", "rows": {{{tables}}}}}'
        replace_atomically(self._path(key), lambda partial: partial.write_bytes(text.encode()))

    def prune(self, keep: set[str]) -> int:
        """Delete every file but the entries whose key is in `keep`; returns how many went.

        Entries of an older format (pickles) and leftovers of killed runs go too.
        """
        kept_names = {f"{key}{SUFFIX}" for key in keep}
        removed = 0
        for path in self.folder.iterdir():
            if path.name in kept_names or (path.is_dir() and not path.is_symlink()):
                continue
            path.unlink(missing_ok=True)
            removed += 1
        return removed

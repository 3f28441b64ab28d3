"""A fingerprint of everything a run's output depends on, to skip runs that would change nothing."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb

from strikewatch.extract import EXTRACTOR_VERSION
from strikewatch.ingest import Discovery, Rejection, read_document_bytes
from strikewatch.manifest import MAX_MANIFEST_BYTES
from strikewatch.settings import PROJECT_ROOT, SQL_DIR, Settings

_CODE_INPUTS = ("schemas/tables.py", "sql")
_PACKAGE = Path(__file__).resolve().parent
_RULE_SOURCES = (
    "extract/*.py",
    "lexicon/*.toml",
    "documents.py",
    "textnorm.py",
    "goldformat.py",
    "pipeline.py",
)


@cache
def rules_digest() -> str:
    """sha256 of the source of every rule that shapes a document's rows.

    Goes with EXTRACTOR_VERSION into cache keys and fingerprints, so an edited rule is never
    answered from a cache built by the old one, even if nobody bumped the version.
    """
    digest = hashlib.sha256()
    for pattern in _RULE_SOURCES:
        for path in sorted(_PACKAGE.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def input_fingerprint(discovery: Discovery, manifest: Path | None) -> str:
    """sha256 over the source files' names and contents, the manifest, rules, models and limits."""
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
            digest.update(b"\0")

    add(EXTRACTOR_VERSION, rules_digest(), str(Settings().max_article_chars))
    for code in sorted([PROJECT_ROOT / _CODE_INPUTS[0], *SQL_DIR.rglob("*.sql")]):
        add(str(code.relative_to(PROJECT_ROOT)), code.read_bytes())
    if manifest is not None:
        add("manifest", _read(manifest, manifest.name, MAX_MANIFEST_BYTES))
    for candidate in discovery.candidates:
        content = _read(candidate.path, candidate.source_file)
        add(candidate.source_file, hashlib.sha256(content).hexdigest())
    for rejection in discovery.rejections:
        add(rejection.source_file, rejection.reason)
    return digest.hexdigest()


def _read(path: Path, source_file: str, limit: int | None = None) -> bytes:
    """The file's bytes, read as the run reads them; else why it cannot be read.

    Never blocks and never reads more than the limit: a pipe, a device or an oversized file is
    fingerprinted by its rejection reason, which the run itself quarantines.
    """
    result = read_document_bytes(Path(path), source_file, limit=limit)
    if isinstance(result, Rejection):
        return f"unreadable: {result.reason}".encode()
    return result


def last_fingerprint(target: Path) -> tuple[str, str] | None:
    """(run_id, fingerprint) of the published warehouse's latest run, if it has one."""
    if not target.exists():
        return None
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            row = con.execute(
                "select run_id, input_fingerprint from meta.runs order by finished_at desc limit 1"
            ).fetchone()
    except duckdb.Error:  # no meta.runs, an older layout, or not a warehouse at all
        return None
    return (row[0], row[1]) if row and row[1] else None

"""Fingerprints of a run's inputs: whole (to skip a run that would change nothing) and per file
(to keep the published rows of files whose inputs did not change)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb

from strikewatch.extract import EXTRACTOR_VERSION
from strikewatch.ingest import Discovery, Rejection, read_document_bytes
from strikewatch.manifest import MAX_MANIFEST_BYTES
from strikewatch.settings import PROJECT_ROOT, SQL_DIR, Settings

_PACKAGE = Path(__file__).resolve().parent
_RULE_SOURCES = (
    "extract/*.py",
    "lexicon/*.toml",
    "documents.py",
    "textnorm.py",
    "goldformat.py",
    "document_rows.py",
)
# What shapes the loaded tables beyond the rules: their layout and the warehouse's own tables.
_LAYOUT_SOURCES = (PROJECT_ROOT / "schemas" / "tables.py", _PACKAGE / "warehouse.py")
_MODEL_SUFFIXES = {".sql", ".yml", ".yaml", ".md"}


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


@cache
def layout_digest() -> str:
    """sha256 of the rules, the extractor version, the table layout and the length limit.

    Part of every file's input key: when it changes, no published row can be kept.
    """
    digest = hashlib.sha256()
    for part in (EXTRACTOR_VERSION, rules_digest(), str(Settings().max_article_chars)):
        digest.update(part.encode() + b"\0")
    for path in _LAYOUT_SOURCES:
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_hashes(discovery: Discovery) -> dict[str, str]:
    """sha256 of each candidate file's bytes (its document_id once read), by source_file."""
    return {
        candidate.source_file: hashlib.sha256(
            _read(candidate.path, candidate.source_file)
        ).hexdigest()
        for candidate in discovery.candidates
    }


def input_key(document_id: str, manifest_entry: object) -> str:
    """Key of everything one file's rows depend on: content, manifest entry, rules, layout."""
    joined = f"{document_id}\0{manifest_entry!r}\0{layout_digest()}"
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def model_files() -> list[Path]:
    """The dbt project's own files: models, tests, macros, YAML and docs."""
    return sorted(
        path for path in SQL_DIR.rglob("*") if path.is_file() and (path.suffix in _MODEL_SUFFIXES)
    )


def input_fingerprint(
    discovery: Discovery, manifest: Path | None, hashes: dict[str, str] | None = None
) -> str:
    """sha256 over the source files' names and contents, the manifest, rules, models and limits."""
    hashes = hashes if hashes is not None else file_hashes(discovery)
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
            digest.update(b"\0")

    add(layout_digest())
    for code in model_files():
        add(str(code.relative_to(PROJECT_ROOT)), code.read_bytes())
    if manifest is not None:
        add("manifest", _read(manifest, manifest.name, MAX_MANIFEST_BYTES))
    for candidate in discovery.candidates:
        add(candidate.source_file, hashes[candidate.source_file])
    for rejection in discovery.rejections:
        add(rejection.source_file, rejection.reason)
    return digest.hexdigest()


def _read(path: Path, source_file: str, limit: int | None = None) -> bytes:
    """The file's bytes, read as the run reads them; else why it cannot be read.

    Never blocks and never reads more than the limit: a pipe, a device or an oversized file is
    fingerprinted by its rejection reason, which the run itself quarantines.
    """
    result = read_document_bytes(Path(path), source_file, limit=limit)
    return unreadable(result) if isinstance(result, Rejection) else result


def unreadable(rejection: Rejection) -> bytes:
    """What a file that cannot be read contributes to the fingerprint: the reason."""
    return f"unreadable: {rejection.reason}".encode()


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


def published_input_keys(target: Path) -> dict[str, str] | None:
    """source_file -> input key of every file the published warehouse holds rows of.

    None when there is no published warehouse or it predates meta.source_files.
    """
    if not target.exists():
        return None
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            rows = con.execute("select source_file, input_key from meta.source_files").fetchall()
    except duckdb.Error:
        return None
    return {source_file: key for source_file, key in rows if key}

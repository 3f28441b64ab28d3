"""The meta.runs row of a run: what it saw, loaded, quarantined and flagged, and its timings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from strikewatch.load import LoadResult


@dataclass
class RunRecord:
    """The meta.runs row of one run."""

    run_id: str
    started_at: datetime
    source_dir: str
    extractor_version: str
    files_seen: int
    load: LoadResult
    warnings: list[str]
    input_fingerprint: str
    build_mode: str = "full"
    dbt_seconds: float = 0.0
    plausibility_warnings: dict[str, int] = field(default_factory=dict)
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


def record_run(build_path: Path, record: RunRecord) -> None:
    """Append this run to meta.runs in the build database."""
    load = record.load
    values = {
        "run_id": record.run_id,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "source_dir": record.source_dir,
        "extractor_version": record.extractor_version,
        "files_seen": record.files_seen,
        "files_new": load.files_new,
        "files_changed": load.files_changed,
        "files_removed": load.files_removed,
        "files_unchanged": load.files_unchanged,
        "files_quarantined": load.files_quarantined,
        "files_extracted": load.files_extracted,
        "files_reused": load.files_reused,
        "rows_loaded": json.dumps(load.rows_loaded),
        "rows_quarantined": load.rows_quarantined,
        "warnings": json.dumps(record.warnings),
        "seconds": record.seconds,
        "input_fingerprint": record.input_fingerprint,
        "build_mode": record.build_mode,
        "dbt_seconds": record.dbt_seconds,
        "plausibility_warnings": json.dumps(record.plausibility_warnings),
    }
    columns = ", ".join(values)
    placeholders = ", ".join("?" for _ in values)
    with duckdb.connect(str(build_path)) as con:
        con.execute(
            f"insert into meta.runs ({columns}) values ({placeholders})", list(values.values())
        )
        con.execute("checkpoint")

"""Project paths and run settings, from this file's location and STRIKEWATCH_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
STORAGE_VERSION = "v1.0.0"


class SettingsError(ValueError):
    """A STRIKEWATCH_* variable holds a value strikewatch cannot use."""


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def _positive_int_from_env(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip().replace("_", ""))
    except ValueError:
        number = 0
    if number < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, not {value!r}")
    return number


def _share_from_env(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        share = float(value.strip())
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise SettingsError(f"{name} must be a share between 0 and 1 (0.5 is half), not {value!r}")
    return share


@dataclass(frozen=True)
class Settings:
    """Where strikewatch reads and writes; every path is absolute."""

    source_dir: Path = field(
        default_factory=lambda: _path_from_env("STRIKEWATCH_SOURCE", PROJECT_ROOT / "seeds")
    )
    warehouse_path: Path = field(
        default_factory=lambda: _path_from_env(
            "STRIKEWATCH_WAREHOUSE", PROJECT_ROOT / "warehouse" / "strikewatch.duckdb"
        )
    )
    prefect_home: Path = field(
        default_factory=lambda: _path_from_env(
            "STRIKEWATCH_PREFECT_HOME", PROJECT_ROOT / ".prefect"
        )
    )
    # dbt's parse of sql/, kept for every warehouse of this checkout (strikewatch/dbt_build.py)
    dbt_parse_cache: Path = field(
        default_factory=lambda: _path_from_env(
            "STRIKEWATCH_DBT_PARSE_CACHE", PROJECT_ROOT / "build" / "dbt-parse"
        )
    )
    max_article_chars: int = field(
        default_factory=lambda: _positive_int_from_env("STRIKEWATCH_MAX_ARTICLE_CHARS", 5_000_000)
    )
    # a run that would drop more than this share of the published articles publishes nothing
    # unless given --allow-shrink (strikewatch/shrink_guard.py)
    max_dropped_share: float = field(
        default_factory=lambda: _share_from_env("STRIKEWATCH_MAX_DROPPED_SHARE", 0.5)
    )
    extraction_seconds: float = field(
        default_factory=lambda: float(os.environ.get("STRIKEWATCH_EXTRACTION_SECONDS", "5"))
    )
    # hash every source file on every run, instead of trusting an unchanged stat
    full_hashing: bool = field(
        default_factory=lambda: (
            os.environ.get("STRIKEWATCH_FULL_HASHING", "").strip().lower() in ("1", "true", "yes")
        )
    )
    schedule_cron: str = field(
        default_factory=lambda: os.environ.get("STRIKEWATCH_SCHEDULE_CRON", "0 6 * * *")
    )
    schedule_timezone: str = field(
        default_factory=lambda: os.environ.get("STRIKEWATCH_SCHEDULE_TZ", "Europe/London")
    )
    # The DuckDB storage format a new warehouse file is written in: the oldest that keeps every
    # feature the warehouse uses, so that DuckDB 1.x readers (CLI, JDBC, BI drivers) open it.
    storage_version: str = field(
        default_factory=lambda: os.environ.get("STRIKEWATCH_STORAGE_VERSION", STORAGE_VERSION)
    )


def configure_prefect(settings: Settings | None = None, debug: bool = False) -> None:
    """Quiet, local Prefect defaults; anything the user already set wins.

    Without `debug`, Prefect logs only what is critical: a failure reaches the user as the one
    line the CLI prints, not as Prefect's tracebacks.
    """
    settings = settings or Settings()
    level = "ERROR" if debug else "CRITICAL"
    defaults = {
        "PREFECT_HOME": str(settings.prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
        "PREFECT_LOGGING_LEVEL": level,
        # Prefect's queue workers log under their class names, through the root logger
        "PREFECT_LOGGING_ROOT_LEVEL": level,
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        # Prefect's SDK telemetry (a first-run notice and events, from an interactive terminal)
        "DO_NOT_TRACK": "1",
        # a busy machine can take longer than the default 20 s to start the local API server
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)

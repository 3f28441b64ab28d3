"""DuckDB 1.x readers open the published warehouse: it is written in an old storage version.

The reader is the DuckDB 1.x command-line client from PyPI (`duckdb-cli`, in the dev extras), the
client docs/bi.md tells analysts to use; BI tools' DuckDB drivers lag behind DuckDB the same way.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from strikewatch.warehouse import create_tables, has_current_layout

DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


def cli_version() -> str:
    result = subprocess.run(
        [str(DUCKDB_CLI), "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[0]


def cli_query(warehouse: Path, sql: str) -> list[dict]:
    """Rows of one query run by the DuckDB 1.x CLI on the warehouse opened read-only."""
    result = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-json", str(warehouse), "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else []


def storage_version(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select tags['storage_version'] from duckdb_databases() "
            "where database_name = current_database()"
        ).fetchone()[0]


def marts_and_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [
            row[0]
            for row in con.execute(
                "select view_name from duckdb_views() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in names
        }


def assert_a_1x_reader_reads_everything(warehouse: Path) -> None:
    schemas = {row["schema_name"] for row in cli_query(warehouse, "select * from duckdb_schemas()")}
    assert {"marts", "intermediate", "staging", "extracted", "quarantine", "meta"} <= schemas
    comments = cli_query(
        warehouse,
        "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'",
    )
    assert comments and all(row["comment"] for row in comments), "a mart column lost its comment"
    expected = marts_and_counts(warehouse)
    assert len(expected) >= 6
    for mart, count in expected.items():
        rows = cli_query(warehouse, f"select * from marts.{mart}")  # every column decoded
        assert len(rows) == count, mart
    evidence = cli_query(
        warehouse,
        "select count(*) as facts, count(*) filter (where substring(d.text, c.char_start + 1, "
        "c.char_end - c.char_start) <> c.evidence) as bad from extracted.cancellations c "
        "join extracted.articles a using (article_id) join extracted.documents d "
        "using (document_id)",
    )
    assert evidence[0]["facts"] > 0 and evidence[0]["bad"] == 0


def test_the_reader_is_duckdb_1x():
    assert DUCKDB_CLI.exists(), "duckdb-cli is in the dev extras: run `make setup`"
    assert cli_version().startswith("v1.")


def test_the_published_seeds_warehouse_opens_in_a_duckdb_1x_reader(seeds_warehouse):
    assert storage_version(seeds_warehouse) == "v1.0.0+"
    assert_a_1x_reader_reads_everything(seeds_warehouse)


@pytest.mark.parametrize(("written_in", "reusable"), [("latest", False), ("v1.0.0", True)])
def test_only_a_warehouse_in_the_set_storage_version_is_copied(tmp_path, written_in, reusable):
    """A warehouse in another storage version (one DuckDB 2.0 wrote by default) is rebuilt in
    full, so that the next publish carries the set version."""
    warehouse = tmp_path / "warehouse.duckdb"
    config = {"storage_compatibility_version": written_in}
    with duckdb.connect(str(warehouse), config=config) as con:
        create_tables(con)
    assert has_current_layout(warehouse) is reusable

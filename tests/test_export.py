"""`strikewatch export`: loaded tables, intermediate models and marts to Parquet and CSV."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from strikewatch.export import export_tables


@pytest.fixture(scope="module")
def warehouse(seeds_warehouse) -> Path:
    return seeds_warehouse


def relations(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            row[0]
            for row in con.execute(
                "select schema_name || '.' || table_name from duckdb_tables() "
                "where schema_name in ('extracted', 'intermediate', 'marts') union all "
                "select schema_name || '.' || view_name from duckdb_views() "
                "where schema_name in ('extracted', 'intermediate', 'marts')"
            ).fetchall()
            if row[0] != "extracted.documents"  # whole texts are not exported
        ]
        return {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name in names}


def test_parquet_export_reads_back_with_partitions(warehouse, tmp_path):
    written = export_tables(warehouse, tmp_path, "parquet")
    counts = relations(warehouse)
    assert {f"{p.parent.name}.{p.name.removesuffix('.parquet')}" for p in written} == set(counts)
    con = duckdb.connect()
    for name, count in counts.items():
        schema, table = name.split(".")
        folder = tmp_path / schema / table
        if name in (
            "extracted.cancellations",
            "extracted.quotes",
            "extracted.articles",
            "extracted.posts",
        ):
            assert folder.is_dir(), name
            cursor = con.execute(
                f"select * from read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
            )
            assert len(cursor.fetchall()) == count
            assert {"year", "month"} <= {column[0] for column in cursor.description}
        elif folder.is_dir():
            continue  # another partitioned fact table
        else:
            back = con.execute(f"select count(*) from '{folder}.parquet'").fetchone()[0]
            assert back == count, name
    pattern = tmp_path / "extracted" / "cancellations" / "**" / "*.parquet"
    months = con.execute(
        f"select distinct year, month from read_parquet('{pattern}', hive_partitioning = true) "
        "order by all"
    ).fetchall()
    with duckdb.connect(str(warehouse), read_only=True) as source:
        expected = source.execute(
            "select distinct year(a.published_date), month(a.published_date) "
            "from extracted.cancellations c join extracted.articles a using (article_id) "
            "order by all"
        ).fetchall()
    assert months == expected
    assert (tmp_path / "extracted" / "cancellations" / f"year={months[0][0]}").is_dir()


def test_csv_export_one_file_per_relation(warehouse, tmp_path):
    out = tmp_path / "csv"
    result = subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", "export", "--warehouse", str(warehouse),
         "--csv", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    counts = relations(warehouse)
    files = sorted(out.glob("*/*.csv"))
    assert {f"{p.parent.name}.{p.stem}" for p in files} == set(counts)
    con = duckdb.connect()
    polls = con.execute(f"select * from read_csv('{out}/marts/support_by_poll.csv')")
    assert len(polls.fetchall()) == counts["marts.support_by_poll"]
    assert "does_not_add_up" in {column[0] for column in polls.description}


def test_unknown_format_is_refused(warehouse, tmp_path):
    with pytest.raises(ValueError, match="parquet, csv"):
        export_tables(warehouse, tmp_path, "xlsx")


def test_undated_articles_land_in_the_hive_default_partition(seeds_warehouse_copy, tmp_path):
    """docs/bi.md names this folder: it must be the one DuckDB really writes."""
    with duckdb.connect(str(seeds_warehouse_copy)) as con:
        article = con.execute(
            "select article_id from extracted.cancellations order by article_id limit 1"
        ).fetchone()[0]
        con.execute(
            "update extracted.articles set published_date = null where article_id = ?", [article]
        )
    export_tables(seeds_warehouse_copy, tmp_path, "parquet")
    undated = tmp_path / "extracted/cancellations/year=__HIVE_DEFAULT_PARTITION__"
    assert list(undated.glob("month=__HIVE_DEFAULT_PARTITION__/*.parquet"))
    rows = duckdb.execute(
        "select count(*) from read_parquet(?, hive_partitioning = true) where year is null",
        [str(tmp_path / "extracted/cancellations/**/*.parquet")],
    ).fetchone()[0]
    assert rows > 0

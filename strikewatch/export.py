"""Export the loaded tables (text aside), intermediate models and marts to Parquet or CSV.

Parquet: fact, article and post tables are partitioned by the year and month of the article's
published_date (hive layout: <schema>/<table>/year=2016/month=4/...); everything else is one file.
CSV: one file per table or view. Undated articles land in the
year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__ partition.
A CSV text cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a
carriage return) is written with a leading apostrophe, so it opens as text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from schemas.tables import FACT_TABLES

EXPORTED_SCHEMAS = ("extracted", "intermediate", "marts")
NOT_EXPORTED = {"extracted.documents"}  # whole article texts
PARTITIONED = {*FACT_TABLES, "extracted.articles", "extracted.posts"}
FORMATS = ("parquet", "csv")
FORMULA_START = "^[=+@\\t\\r-]"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def exported_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of the exported schemas, as schema.name."""
    rows = con.execute(
        """
        select schema_name || '.' || table_name from duckdb_tables()
        where database_name = current_database() and schema_name in $schemas
        union all
        select schema_name || '.' || view_name from duckdb_views()
        where database_name = current_database() and schema_name in $schemas
        order by 1
        """,
        {"schemas": list(EXPORTED_SCHEMAS)},
    ).fetchall()
    return [row[0] for row in rows if row[0] not in NOT_EXPORTED]


def _formula_safe_query(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """The relation with every text cell that starts like a formula prefixed with an apostrophe.

    Only text columns are touched: a negative number is a number, not a formula.
    """
    selected = []
    for name, column_type, *_ in con.execute(f"describe {relation}").fetchall():
        column = '"' + name.replace('"', '""') + '"'
        if column_type == "VARCHAR":
            selected.append(
                f"case when regexp_matches({column}, {_literal(FORMULA_START)}) "
                f"then {_literal(chr(39))} || {column} else {column} end as {column}"
            )
        else:
            selected.append(column)
    return f"select {', '.join(selected)} from {relation}"


def _partitioned_query(relation: str) -> str:
    """The relation with year and month columns from its article's published_date."""
    if relation == "extracted.articles":
        return (
            "select *, year(published_date) as year, month(published_date) as month "
            "from extracted.articles"
        )
    return (
        "select rel.*, year(art.published_date) as year, month(art.published_date) as month "
        f"from {relation} as rel "
        "left join extracted.articles as art on rel.article_id = art.article_id"
    )


def export_tables(warehouse: Path, out_dir: Path, fmt: str) -> list[Path]:
    """Write every exported relation under out_dir as Parquet or CSV; the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    warehouse, out_dir = Path(warehouse), Path(out_dir)
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `strikewatch run` first")
    written = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for relation in exported_relations(con):
            schema, name = relation.split(".")
            (out_dir / schema).mkdir(parents=True, exist_ok=True)
            if fmt == "csv":
                target = out_dir / schema / f"{name}.csv"
                con.execute(
                    f"copy ({_formula_safe_query(con, relation)}) to {_literal(str(target))} "
                    "(format csv, header true)"
                )
            elif relation in PARTITIONED:
                target = out_dir / schema / name
                shutil.rmtree(target, ignore_errors=True)
                con.execute(
                    f"copy ({_partitioned_query(relation)}) to {_literal(str(target))} "
                    "(format parquet, partition_by (year, month))"
                )
            else:
                target = out_dir / schema / f"{name}.parquet"
                con.execute(
                    f"copy (select * from {relation}) to {_literal(str(target))} (format parquet)"
                )
            if target.exists():
                written.append(target)
    return written

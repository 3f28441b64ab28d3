"""SQL models: every `sql/<schema>/<name>.sql` becomes the view `<schema>.<name>`.

Build order comes from the references each file makes to other models, never from file names.
A model's header comment documents it and is written into DuckDB as comments:

    -- One line saying what a row is.
    -- column_name: what the column holds
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

_REFERENCE = re.compile(r"\b([a-z_]+)\.([a-z_][a-z0-9_]*)\b")
_COLUMN_DOC = re.compile(r"^--\s*([a-z_][a-z0-9_]*):\s+(.+)$")


@dataclass(frozen=True)
class Model:
    """One SQL model file."""

    name: str
    path: Path
    sql: str
    description: str
    column_docs: dict[str, str]
    depends_on: frozenset[str]


def _header(sql: str) -> tuple[str, dict[str, str]]:
    description, columns = [], {}
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        column = _COLUMN_DOC.match(line)
        if column:
            columns[column[1]] = column[2].strip()
        elif not columns:
            description.append(line.lstrip("-").strip())
    return " ".join(part for part in description if part), columns


def discover_models(sql_dir: Path) -> list[Model]:
    """All models under sql_dir, with the other models each one reads."""
    files = sorted(sql_dir.glob("*/*.sql"))
    names = {f"{path.parent.name}.{path.stem}" for path in files}
    models = []
    for path in files:
        sql = path.read_text(encoding="utf-8")
        name = f"{path.parent.name}.{path.stem}"
        body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
        refs = {f"{schema}.{table}" for schema, table in _REFERENCE.findall(body)}
        description, columns = _header(sql)
        models.append(
            Model(name, path, sql, description, columns, frozenset((refs & names) - {name}))
        )
    return models


def build_order(models: list[Model]) -> list[Model]:
    """Models sorted so that each comes after the models it reads."""
    by_name = {model.name: model for model in models}
    sorter = TopologicalSorter({model.name: model.depends_on for model in models})
    return [by_name[name] for name in sorter.static_order()]


def lineage(models: list[Model]) -> dict[str, list[str]]:
    """Every relation each model reads: other models and loaded tables alike."""
    result = {}
    for model in models:
        body = "\n".join(line.split("--", 1)[0] for line in model.sql.splitlines())
        refs = {f"{s}.{t}" for s, t in _REFERENCE.findall(body) if s in _SCHEMAS}
        result[model.name] = sorted(refs - {model.name})
    return result


_SCHEMAS = {"raw", "core", "staging", "marts", "meta", "quarantine"}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def build_models(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> list[str]:
    """Create or replace every model's view in dependency order, with its comments."""
    built = []
    for model in build_order(discover_models(sql_dir)):
        schema = model.name.split(".")[0]
        sql = model.sql.strip().rstrip(";")
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create or replace view {model.name} as\n{sql}")
        if model.description:
            con.execute(f"comment on view {model.name} is {_literal(model.description)}")
        for column, text in {**_inherited_docs(con, model), **model.column_docs}.items():
            con.execute(f"comment on column {model.name}.{column} is {_literal(text)}")
        built.append(model.name)
    return built


def _inherited_docs(con: duckdb.DuckDBPyConnection, model: Model) -> dict[str, str]:
    """Comments of same-named columns in the relations the model reads, first one wins."""
    schema, name = model.name.split(".")
    columns = [
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    ]
    docs: dict[str, str] = {}
    for relation in lineage([model])[model.name]:
        rel_schema, rel_name = relation.split(".")
        for column, comment in con.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = ? and table_name = ? and comment is not null",
            [rel_schema, rel_name],
        ).fetchall():
            if column in columns:
                docs.setdefault(column, comment)
    return docs

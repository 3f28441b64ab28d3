"""The shrink guard: a run that would publish no articles, or drop most of the published ones,
publishes nothing unless told to (`strikewatch run --allow-shrink`).

An empty or half-mounted source folder, a wrong --source path or a limit that quarantines every
file builds a perfectly sound, nearly empty warehouse; publishing it would replace a full one.
A published article counts as kept when the build still has an article from the same file or
with the same content, so renamed and edited files are not drops.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from strikewatch.warehouse import open_previous

ALLOW = "run again with --allow-shrink if that is what you want"


def _article_count(con: duckdb.DuckDBPyConnection, database: str) -> int | None:
    has_articles = con.execute(
        "select count(*) from duckdb_tables() where database_name = ? "
        "and schema_name = 'extracted' and table_name = 'articles'",
        [database],
    ).fetchone()[0]
    if not has_articles:
        return None
    return con.execute(f"select count(*) from {database}.extracted.articles").fetchone()[0]


def shrink_problem(build_file: Path, target: Path, max_dropped_share: float) -> str | None:
    """Why publishing `build_file` over `target` would shrink it too far; None when it may."""
    build_literal = "'" + str(build_file).replace("'", "''") + "'"
    with duckdb.connect() as con:
        con.execute(f"attach {build_literal} as build (read_only)")
        built = _article_count(con, "build") or 0
        published = _article_count(con, "previous") if open_previous(con, target) else None
        if built == 0:
            held = f" (the published warehouse has {published:,})" if published else ""
            return f"this run would publish no articles{held}; {ALLOW}"
        if not published:  # no published warehouse, or one of a layout without the table
            return None
        dropped = con.execute(
            """
            select count(*) from previous.extracted.articles
            where source_file not in (select source_file from build.extracted.articles)
            and document_id not in (select document_id from build.extracted.articles)
            """
        ).fetchone()[0]
    if dropped / published <= max_dropped_share:
        return None
    return (
        f"this run would drop {dropped:,} of the {published:,} published articles "
        f"({dropped / published:.0%}, more than the {max_dropped_share:.0%} allowed by "
        f"STRIKEWATCH_MAX_DROPPED_SHARE); is the source folder complete? {ALLOW}"
    )

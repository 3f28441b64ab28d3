"""The HTML report: one file that works offline, with Vega-Lite charts drawn by Vega in the page.

The charts are Vega-Lite specifications built with Altair; Vega, Vega-Lite and vega-embed are
inlined from vl-convert's bundle. The data (the marts, aggregated for the charts, and one row per
fact with its evidence and a little context) travels once, as gzipped JSON, and is unpacked by
the browser (`DecompressionStream`), so 10,000 articles still make a file of a few megabytes.
Every table can be downloaded as CSV; `#fact=<fact_id>` opens a fact in the evidence viewer.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import math
import re
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

import altair as alt
import duckdb

from strikewatch.extract.registry import FACT_TYPES

TITLE = "strikewatch: strikes in the news"
CONTEXT_CHARS = 120  # of the article's text shown either side of a fact's evidence
TOP_SERIES = 10  # series a chart draws; the table beside it has them all
FACET_WIDTH = 900  # px of each panel of a faceted chart (they cannot follow the page's width)
MEMBER_BALLOT = "lower(coalesce(pollster, '') || ' ' || coalesce(population, '')) similar to "
MEMBER_BALLOT += "'.*\\b(ballot|members?)\\b.*'"

Row = dict[str, Any]


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [
        dict(zip(names, [_json_value(value) for value in values], strict=True))
        for values in cursor.fetchall()
    ]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    return value


def readable_metric(name: str) -> str:
    """A metric's column name as words: pct_not_working -> '% not working'."""
    words = name.replace("_", " ").strip()
    return re.sub(r"^pct\b", "%", words)


def _table(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, Any]:
    cursor = con.execute(sql)
    columns = [column[0] for column in cursor.description]
    rows = [[_json_value(value) for value in row] for row in cursor.fetchall()]
    return {"columns": columns, "rows": rows}


def _figure_sql(value: str, unit: str) -> str:
    """SQL of a figure as people write it: 2,800 or 12.5%."""
    return (
        f"(case when {value} = round({value}) then format('{{:,}}', {value}::bigint) "
        f"else round({value}, 1)::varchar end "
        f"|| case when {unit} = 'percent' then '%' else '' end)"
    )


def _words_sql(column: str) -> str:
    """SQL of a metric's name as words, as readable_metric does: pct_working -> '% working'."""
    return f"regexp_replace(replace({column}, '_', ' '), '^pct ', '% ')"


# --- data -----------------------------------------------------------------------------------

CANCELLATION_POINTS = """
select c.period_start, c.period_end, c.period_days, c.item, coalesce(c.geography, 'place not given')
       as place, c.item || ' (' || coalesce(c.geography, 'place not given') || ')' as series,
       c.best_value as value, c.best_qualifier as qualifier, c.min_value, c.max_value,
       c.mentions, c.sources, coalesce(m.publisher, m.source_file) as outlet,
       c.best_evidence as evidence, c.best_source_file as source_file, c.best_fact_id as fact_id
from marts.cancellations_by_date c
left join intermediate.int_fact_mentions m on m.fact_id = c.best_fact_id
where c.unit = 'count' and c.period_start is not null and c.best_value > 0
"""

ATTENDANCE_POINTS = """
select a.as_of, a.metric, coalesce(a.geography, 'place not given') as place, a.unit,
       a.best_value as value, a.min_value, a.max_value, a.mentions, a.sources,
       coalesce(m.publisher, m.source_file) as outlet, a.best_evidence as evidence,
       a.best_source_file as source_file, a.best_fact_id as fact_id
from marts.attendance_by_day a
left join intermediate.int_fact_mentions m on m.fact_id = a.best_fact_id
where a.as_of is not null
"""

POLL_POINTS = f"""
with polls as (
    select *, case when {MEMBER_BALLOT} then 'member ballot' else 'public poll' end as kind
    from marts.support_by_poll where poll_date is not null
),
points as (
    unpivot polls on support, oppose, dont_know into name measure value pct
),
evidence as (
    select poll_id, measure, arg_min(evidence, fact_id) as evidence,
           arg_min(coalesce(publisher, source_file), fact_id) as outlet,
           min(fact_id) as fact_id
    from intermediate.int_poll_answers group by all
)
select p.kind, p.poll_date, coalesce(p.pollster, 'pollster not named') as pollster,
       p.commissioned_by, p.population, p.question, p.measure, p.pct, p.outlets,
       p.does_not_add_up, e.outlet, e.evidence, e.fact_id
from points p left join evidence e using (poll_id, measure)
where p.pct is not null
"""

STRIKE_TOTALS = """
select s.first_day, s.last_day, coalesce(s.staff_group, 'staff not named') as staff_group,
       s.status, f.item, f.geography, f.period_start, f.period_end, f.unit,
       f.best_value, f.best_qualifier, f.best_fact_id as fact_id,
       case when count(*) filter (where f.unit = 'count') over (partition by s.strike_id) > 1
            and f.unit = 'count'
            then 'figures overlap, do not sum' end as note
from marts.strike_timeline s, unnest(s.cancellations_reported) as u(f)
order by s.first_day, s.strike_id, f.unit, f.best_value desc
"""

FACTS = f"""
select m.fact_id, m.fact_type,
       m.article_id, m.char_start, m.char_end, m.evidence,
       substring(d.text, greatest(m.char_start - {CONTEXT_CHARS}, 0) + 1,
                 m.char_start - greatest(m.char_start - {CONTEXT_CHARS}, 0)) as before,
       substring(d.text, m.char_end + 1, {CONTEXT_CHARS}) as after
from intermediate.int_fact_mentions m
join extracted.articles a using (article_id)
join extracted.documents d using (document_id)
order by m.published_date nulls last, m.source_file, m.char_start
"""

FACT_SUMMARIES = f"""
select fact_id, concat_ws(' ', case when qualifier <> 'exact' then replace(qualifier, '_', ' ') end,
       {_figure_sql("value", "unit")}, item, '(' || coalesce(geography, 'place not given') || ')')
       as summary
from extracted.cancellations
union all
select fact_id, concat_ws(' ', coalesce(pollster, 'poll'), replace(measure, '_', ' '),
       {_figure_sql("pct", "'percent'")})
from extracted.poll_results
union all
select fact_id, concat_ws(' ', {_words_sql("metric")}, {_figure_sql("value", "unit")},
       '(' || geography || ')')
from extracted.attendance
union all
select fact_id, concat_ws(' ', staff_group, status, strftime(starts_at, '%-d %b %Y'))
from extracted.strike_actions
union all
select fact_id, concat_ws(', ', coalesce(speaker, 'unnamed speaker'), organisation)
from extracted.quotes
union all
select fact_id, concat_ws(' ', label, {_figure_sql("value", "unit")}) from extracted.other_figures
"""

ARTICLES = """
select article_id, source_file, publisher, published_date, headline, url
from extracted.articles order by article_id
"""

TABLES = {
    "strikes": """
        select first_day, last_day, staff_group, status, hours, scope, ends_before_start,
               mentions, outlets, cancellation_figures, attendance_figures, fact_ids[1] as fact_id
        from marts.strike_timeline order by first_day""",
    "strike_totals": STRIKE_TOTALS,
    "cancellations": """
        select period_start, period_end, period_days, attribution, item, geography, unit,
               best_value, best_qualifier, best_rule, min_value, max_value, mentions, sources,
               has_figure_far_from_siblings, best_evidence, best_fact_id as fact_id
        from marts.cancellations_by_date order by period_start, item, geography""",
    "attendance": f"""
        select as_of, {_words_sql("metric")} as metric, geography, unit, best_value, best_rule,
               min_value, max_value,
               mentions, sources, has_figure_far_from_siblings, best_evidence,
               best_fact_id as fact_id
        from marts.attendance_by_day order by as_of, metric, geography""",
    "polls": f"""
        select case when {MEMBER_BALLOT} then 'member ballot' else 'public poll' end as kind,
               pollster, commissioned_by, poll_date, population, sample_size, question, support,
               oppose, dont_know, net_support, outlets, mentions, does_not_add_up,
               add_up_problems
        from marts.support_by_poll order by kind, poll_date""",
    "quotes": """
        select coalesce(speaker, 'unnamed speaker') as speaker,
               coalesce(organisation, 'not named') as organisation,
               any_value(speaker_role) as role, count(*) as quotes,
               count(distinct article_id) as articles, min(fact_id) as fact_id
        from extracted.quotes group by all order by quotes desc, speaker""",
    "conflicts": f"""
        select figure_type, {_words_sql("measure")} as measure, period_start, period_end,
               geography, unit,
               value_a, qualifier_a, coalesce(publisher_a, source_file_a) as outlet_a,
               evidence_a, fact_id_a as fact_id, value_b, qualifier_b,
               coalesce(publisher_b, source_file_b) as outlet_b, evidence_b, fact_id_b,
               qualifiers_reconcile, same_source
        from marts.figure_conflicts order by period_start, figure_type, measure""",
    "coverage": """
        select coalesce(publisher, 'unknown outlet') as outlet, count(*) as days,
               sum(articles) as articles, sum(posts) as posts, sum(facts) as facts
        from marts.coverage_by_source group by all order by articles desc, outlet""",
    "rejected_files": "select source_file, reason from quarantine.rejected_files order by 1",
    "rejected_rows": """
        select table_name, source_file, failed_check, row_json
        from quarantine.rejected_rows order by table_name, source_file""",
}


def load_payload(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready values."""
    runs = _rows(con, "select * from meta.runs order by started_at desc limit 1")
    run = runs[0] if runs else {}
    tables = {name: _table(con, sql) for name, sql in TABLES.items()}
    warnings = json.loads(run.get("warnings") or "[]")
    plausibility = json.loads(run.get("plausibility_warnings") or "{}")
    tables["warnings"] = {
        "columns": ["kind", "warning", "rows"],
        "rows": [["run", str(text), None] for text in warnings]
        + [["plausibility", name.replace("_", " "), count] for name, count in plausibility.items()],
    }
    summaries = dict(con.execute(FACT_SUMMARIES).fetchall())
    articles = _table(con, ARTICLES)
    article_index = {row[0]: index for index, row in enumerate(articles["rows"])}
    facts = []
    for fact_id, fact_type, article_id, start, end, evidence, before, after in con.execute(
        FACTS
    ).fetchall():
        facts.append(
            [
                fact_id,
                fact_type,
                summaries.get(fact_id) or "",
                article_index.get(article_id),
                start,
                end,
                _trim_before(before or ""),
                evidence,
                _trim_after(after or ""),
            ]
        )
    attendance = _rows(con, ATTENDANCE_POINTS)
    for row in attendance:
        row["label"] = f"{readable_metric(row['metric'])} ({row['place']})"
    return {
        "run": {
            key: run.get(key)
            for key in ("run_id", "finished_at", "files_seen", "files_quarantined")
        },
        "counts": {
            "articles": len(articles["rows"]),
            "facts": len(facts),
            "strikes": len(tables["strikes"]["rows"]),
            "polls": len(tables["polls"]["rows"]),
            "conflicts": len(tables["conflicts"]["rows"]),
        },
        "datasets": {
            "cancellations": _top_series(_rows(con, CANCELLATION_POINTS), "series"),
            "attendance": _top_series(attendance, "label"),
            "polls": _rows(con, POLL_POINTS),
            "strikes": _rows(
                con,
                "select first_day, last_day + 1 as day_after, coalesce(staff_group, "
                "'staff not named') as staff_group, status, mentions, outlets, "
                "cancellation_figures from marts.strike_timeline where first_day is not null",
            ),
            "quotes": _rows(con, TABLES["quotes"] + " limit 20"),
            "coverage": _rows(con, TABLES["coverage"] + " limit 20"),
        },
        "tables": tables,
        "articles": articles["rows"],
        "facts": facts,
    }


def _top_series(rows: list[Row], key: str) -> list[Row]:
    """The rows of the TOP_SERIES series reported most often, each marked `shown`."""
    mentions: dict[str, int] = {}
    for row in rows:
        mentions[row[key]] = mentions.get(row[key], 0) + row["mentions"]
    top = set(sorted(mentions, key=lambda name: (-mentions[name], name))[:TOP_SERIES])
    return [{**row, "shown": row[key] in top} for row in rows]


def _trim_before(text: str) -> str:
    """Context before a fact: from the start of a word, never past a paragraph break."""
    text = text.rsplit("\n\n", 1)[-1]
    if len(text) >= CONTEXT_CHARS and " " in text:
        text = "…" + text.split(" ", 1)[1]
    return text


def _trim_after(text: str) -> str:
    """Context after a fact: to the end of a word, never past a paragraph break."""
    text = text.split("\n\n", 1)[0]
    if len(text) >= CONTEXT_CHARS and " " in text:
        text = text.rsplit(" ", 1)[0] + "…"
    return text


# --- charts ---------------------------------------------------------------------------------


def _tooltip(*fields: tuple[str, str, str]) -> list[alt.Tooltip]:
    return [alt.Tooltip(name, type=kind, title=title) for name, kind, title in fields]


EVIDENCE_TIPS = (
    ("qualifier", "nominal", "qualifier"),
    ("outlet", "nominal", "outlet"),
    ("evidence", "nominal", "evidence"),
    ("mentions", "quantitative", "mentions"),
    ("sources", "quantitative", "sources"),
)


DAY_AXIS = alt.Axis(format="%-d %b %Y", labelOverlap=True)


def chart_specs() -> dict[str, dict[str, Any]]:
    """The Vega-Lite specification of every chart, data by name (the page supplies it)."""
    shown = alt.datum.shown
    cancellations = (
        alt.Chart(alt.Data(name="cancellations"))
        .transform_filter(shown)
        .mark_point(filled=True, size=70, opacity=0.85)
        .encode(
            x=alt.X(
                "period_start:T",
                title="strike day (or first day of the period)",
                scale=alt.Scale(padding=18),
                axis=DAY_AXIS,
            ),
            y=alt.Y("value:Q", scale=alt.Scale(type="log"), title="cancelled (log scale)"),
            color=alt.Color(
                "series:N",
                title="item (place)",
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=360),
            ),
            shape=alt.Shape("place:N", title="place"),
            tooltip=_tooltip(
                ("series", "nominal", "item (place)"),
                ("period_start", "temporal", "from"),
                ("period_end", "temporal", "to"),
                ("value", "quantitative", "best estimate"),
                ("min_value", "quantitative", "lowest reported"),
                ("max_value", "quantitative", "highest reported"),
                *EVIDENCE_TIPS,
            ),
        )
    )
    attendance = (
        alt.Chart(alt.Data(name="attendance"))
        .transform_filter(shown)
        .mark_point(filled=True, size=60, opacity=0.85)
        .encode(
            x=alt.X("as_of:T", title="day", scale=alt.Scale(padding=18), axis=DAY_AXIS),
            y=alt.Y("value:Q", title="best estimate"),
            color=alt.Color(
                "label:N",
                title="measure (place)",
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=360),
            ),
            tooltip=_tooltip(
                ("label", "nominal", "measure (place)"),
                ("as_of", "temporal", "day"),
                ("value", "quantitative", "best estimate"),
                ("unit", "nominal", "unit"),
                ("outlet", "nominal", "outlet"),
                ("evidence", "nominal", "evidence"),
                ("mentions", "quantitative", "mentions"),
            ),
        )
        .properties(width=FACET_WIDTH, height=220)
        .facet(row=alt.Row("unit:N", title=None))
        .resolve_scale(y="independent")
    )
    polls = (
        alt.Chart(alt.Data(name="polls"))
        .mark_point(filled=True, size=80)
        .encode(
            x=alt.X(
                "poll_date:T",
                title="poll month",
                scale=alt.Scale(padding=18),
                axis=alt.Axis(format="%b %Y", labelOverlap=True),
            ),
            y=alt.Y("pct:Q", title="% of respondents", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "measure:N",
                title="answer",
                scale=alt.Scale(
                    domain=["support", "oppose", "dont_know"],
                    range=["#2a9d8f", "#e76f51", "#8d99ae"],
                ),
            ),
            shape=alt.Shape("pollster:N", title="pollster"),
            tooltip=_tooltip(
                ("pollster", "nominal", "pollster"),
                ("poll_date", "temporal", "month"),
                ("measure", "nominal", "answer"),
                ("pct", "quantitative", "%"),
                ("population", "nominal", "asked"),
                ("outlet", "nominal", "outlet"),
                ("evidence", "nominal", "evidence"),
                ("outlets", "quantitative", "outlets reporting it"),
            ),
        )
        .properties(width=FACET_WIDTH, height=220)
        .facet(row=alt.Row("kind:N", title=None, sort=["public poll", "member ballot"]))
    )
    strikes = (
        alt.Chart(alt.Data(name="strikes"))
        .mark_bar(cornerRadius=2, minBandSize=4)
        .properties(height=alt.Step(36))
        .encode(
            x=alt.X("first_day:T", title="strike days", axis=DAY_AXIS),
            x2="day_after:T",
            y=alt.Y("staff_group:N", title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(
                    domain=["held", "planned", "suspended", "called_off"],
                    range=["#d1495b", "#1b6ca8", "#8d99ae", "#edae49"],
                ),
            ),
            tooltip=_tooltip(
                ("staff_group", "nominal", "staff"),
                ("first_day", "temporal", "first day"),
                ("status", "nominal", "status"),
                ("mentions", "quantitative", "mentions"),
                ("outlets", "quantitative", "outlets"),
                ("cancellation_figures", "quantitative", "cancellation figures"),
            ),
        )
    )
    quotes = (
        alt.Chart(alt.Data(name="quotes"))
        .mark_bar()
        .encode(
            x=alt.X("quotes:Q", title="quotes", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("speaker:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "organisation:N",
                title="organisation",
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            tooltip=_tooltip(
                ("speaker", "nominal", "speaker"),
                ("organisation", "nominal", "organisation"),
                ("role", "nominal", "role"),
                ("quotes", "quantitative", "quotes"),
                ("articles", "quantitative", "articles"),
            ),
        )
    )
    coverage = (
        alt.Chart(alt.Data(name="coverage"))
        .mark_bar()
        .encode(
            x=alt.X("articles:Q", title="articles", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("outlet:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            tooltip=_tooltip(
                ("outlet", "nominal", "outlet"),
                ("articles", "quantitative", "articles"),
                ("facts", "quantitative", "facts"),
            ),
        )
    )
    charts = {
        "cancellations": cancellations,
        "attendance": attendance,
        "polls": polls,
        "strikes": strikes,
        "quotes": quotes,
        "coverage": coverage,
    }
    specs = {}
    for name, chart in charts.items():
        if not isinstance(chart, alt.FacetChart):
            chart = chart.properties(width="container")
        spec = chart.to_dict()
        spec.pop("$schema", None)
        specs[name] = spec
    return specs


# --- page -----------------------------------------------------------------------------------

PAGE_DIR = Path(__file__).resolve().parent / "report_page"


def vega_bundle(cache_dir: Path) -> str:
    """Vega, Vega-Lite and vega-embed as one script, from vl-convert, cached per version."""
    import vl_convert

    version = f"{vl_convert.__version__}-vl{alt.SCHEMA_VERSION.lstrip('v')}"
    cached = cache_dir / f"vega-bundle-{version}.js"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    vega_lite = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    bundle = vl_convert.javascript_bundle(vl_version=vega_lite)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    partial.write_text(bundle, encoding="utf-8")
    partial.replace(cached)
    return bundle


def _inline_script(code: str) -> str:
    return "<script>" + re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE) + "</script>"


def render_report(payload: dict[str, Any], bundle: str) -> str:
    """The whole report as one HTML document."""
    packed = base64.b64encode(
        gzip.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 6, mtime=0)
    ).decode("ascii")
    specs = json.dumps(chart_specs()).replace("<", "\\u003c")
    template = (PAGE_DIR / "report.html").read_text(encoding="utf-8")
    css = (PAGE_DIR / "report.css").read_text(encoding="utf-8") + "".join(
        # each fact type's colour (its FACT_TYPE in strikewatch/extract/), as a light tint
        f".t-{kind.table} {{ background: {kind.colour}33; }}\n"
        for kind in FACT_TYPES
    )
    return (
        template.replace("{{title}}", escape(TITLE))
        .replace("{{css}}", css)
        .replace("{{vega}}", _inline_script(bundle))
        .replace(
            "{{data}}",
            f'<script type="application/json" id="chart-specs">{specs}</script>'
            f'<script type="application/octet-stream" id="payload">{packed}</script>',
        )
        .replace("{{app}}", _inline_script((PAGE_DIR / "report.js").read_text(encoding="utf-8")))
    )


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Write the HTML report of a warehouse (default: report.html beside the warehouse)."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `strikewatch run` first")
    out = Path(out) if out else warehouse.parent / "report.html"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        payload = load_payload(con)
    bundle = vega_bundle(warehouse.parent / f".{warehouse.name}.report-js")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(render_report(payload, bundle), encoding="utf-8")
    partial.replace(out)
    return out

"""The HTML report: one self-contained file (inline CSS, JS and SVG) that works offline.

Charts of cancellations by date and of poll support over time, the strike timeline, the figures
that disagree, and an evidence viewer: each article's raw text with its facts highlighted at their
offsets; a click on a highlight shows the fact's row. `#fact=<fact_id>` in the address opens a fact.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

import duckdb

from schemas.tables import FACT_TABLES

Row = dict[str, Any]
PALETTE = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#66a182", "#8d6a9f", "#e07a5f"]
FACT_COLOURS = {
    "poll_results": "#c9e4ff",
    "cancellations": "#ffd6d6",
    "attendance": "#d8f3dc",
    "strike_actions": "#ffe8b0",
    "quotes": "#ece4ff",
    "other_figures": "#e4e4e4",
}


@dataclass
class ReportData:
    """Everything the report shows, read from the warehouse."""

    title: str
    run: Row | None
    cancellations: list[Row]
    polls: list[Row]
    timeline: list[Row]
    conflicts: list[Row]
    coverage: list[Row]
    documents: list[Row]
    facts: list[Row]
    plausibility: dict[str, int] = field(default_factory=dict)  # warn test -> rows flagged
    attendance_flagged: list[Row] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def load_report_data(con: duckdb.DuckDBPyConnection, title: str) -> ReportData:
    """Read the marts, documents and fact rows the report needs."""
    runs = _rows(con, "select * from meta.runs order by started_at desc limit 1")
    facts: list[Row] = []
    for table in FACT_TABLES:
        fact_type = table.split(".")[1]
        for row in _rows(con, f"select * from {table} order by source_file, char_start"):
            facts.append({"fact_type": fact_type, **row})
    documents = _rows(
        con,
        """
        select a.article_id, a.source_file, a.publisher, a.published_date, a.headline, a.url,
               d.text
        from extracted.articles a join extracted.documents d using (document_id)
        order by a.published_date, a.publisher, a.source_file
        """,
    )
    return ReportData(
        title=title,
        run=runs[0] if runs else None,
        cancellations=_rows(con, "select * from marts.cancellations_by_date"),
        polls=_rows(con, "select * from marts.support_by_poll"),
        timeline=_rows(con, "select * from marts.strike_timeline"),
        conflicts=_rows(con, "select * from marts.figure_conflicts"),
        coverage=_rows(con, "select * from marts.coverage_by_source"),
        documents=documents,
        facts=facts,
        plausibility=json.loads(runs[0]["plausibility_warnings"] or "{}") if runs else {},
        attendance_flagged=_rows(
            con, "select * from marts.attendance_by_day where has_figure_far_from_siblings"
        ),
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


def _number(value: float) -> str:
    """A figure as people write it: 2,800 or 57 or 12.5."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _figure(value: float, unit: str, qualifier: str | None = None) -> str:
    words = "" if qualifier in (None, "exact") else qualifier.replace("_", " ") + " "
    return f"{words}{_number(value)}{'%' if unit == 'percent' else ''}"


def _day(value: dt.date | None) -> str:
    return value.strftime("%-d %b %Y") if value else "undated"


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None or end is None or start == end:
        return _day(start)
    if start.year == end.year:
        return f"{start.strftime('%-d %b')} – {_day(end)}"
    return f"{_day(start)} – {_day(end)}"


def _answer(name: str) -> str:
    return name.replace("other:", "").replace("_", " ")


def _disputed_answers(row: Row) -> str:
    return "; ".join(
        f"{_answer(a['answer'])} {_number(a['min_pct'])}–{_number(a['max_pct'])}% "
        f"(best {_number(a['best_pct'])}%)"
        for a in row["disputed_answers"]
    )


def _add_up_problems(row: Row) -> str:
    totals = {
        "support + oppose": row["support_plus_oppose"],
        "support + oppose + dont_know": row["support_oppose_dont_know"],
        "blame answers": row["blame_total"],
    }
    return "; ".join(
        f"{problem} = {_number(totals[problem])}%" if problem in totals else problem
        for problem in row["add_up_problems"]
    )


def _cancellation_line(figure: Row) -> str:
    when = (
        _period(figure["period_start"], figure["period_end"])
        if figure["period_start"] != figure["period_end"]
        else _day(figure["period_start"])
    )
    place = ", ".join(filter(None, [figure["geography"], when]))
    value = _figure(figure["best_value"], figure["unit"], figure["best_qualifier"])
    return f"{value} {figure['item']} ({place})"


def _attendance_line(figure: Row) -> str:
    place = ", ".join(filter(None, [figure["geography"], _day(figure["as_of"])]))
    return f"{figure['metric']} {_figure(figure['best_value'], figure['unit'])} ({place})"


def _fact_link(fact_id: str | None, label: str) -> str:
    if not fact_id:
        return escape(label)
    fid = escape(fact_id)
    return f'<a class="fact-link" href="#fact={fid}" data-fact="{fid}">{escape(label)}</a>'


# --- charts ---------------------------------------------------------------------------------


def _log_ticks(low: float, high: float) -> list[float]:
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    steps = (1, 2, 5) if last - first <= 3 else (1,)
    ticks = [step * 10**power for power in range(first, last + 1) for step in steps]
    return [tick for tick in ticks if 10**first <= tick <= 10**last]


def cancellations_chart(rows: Sequence[Row]) -> str:
    """SVG dot plot of each cancellation count's best estimate per period; log scale, range bars."""
    counts = [r for r in rows if r["unit"] == "count" and r["best_value"] and r["period_start"]]
    if not counts:
        return '<p class="empty">No cancellation counts in this warehouse.</p>'
    periods = sorted({(r["period_start"], r["period_end"]) for r in counts})
    items = sorted({r["item"] for r in counts})
    colour = {item: PALETTE[i % len(PALETTE)] for i, item in enumerate(items)}
    low = min(min(r["min_value"], r["best_value"]) for r in counts)
    high = max(max(r["max_value"], r["best_value"]) for r in counts)
    ticks = _log_ticks(low, high)
    width, height, left, right, top, bottom = 860, 360, 70, 20, 20, 60
    band = (width - left - right) / len(periods)

    def y(value: float) -> float:
        span = math.log10(ticks[-1]) - math.log10(ticks[0]) or 1
        share = (math.log10(value) - math.log10(ticks[0])) / span
        return top + (height - top - bottom) * (1 - share)

    parts = [
        f'<svg class="chart" id="cancellations-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="Cancellations by date, best estimates, log scale">'
    ]
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text class="tick" x="{left - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{_number(tick)}</text>'
        )
    for index, (start, end) in enumerate(periods):
        in_period = [r for r in counts if (r["period_start"], r["period_end"]) == (start, end)]
        centre = left + band * (index + 0.5)
        label = _period(start, end)
        parts.append(
            f'<text class="tick" x="{centre:.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        spread = min(24.0, band / (len(in_period) + 1))
        for offset, row in enumerate(in_period):
            x = centre + spread * (offset - (len(in_period) - 1) / 2)
            tip = (
                f"{_figure(row['best_value'], 'count', row['best_qualifier'])} {row['item']}"
                f" ({row['geography'] or 'place not given'}), {label}; "
                f"{row['mentions']} mention(s), {row['sources']} source(s)"
            )
            if row["distinct_values"] > 1:
                tip += (
                    f"; reported {_number(row['min_value'])} to {_number(row['max_value'])},"
                    f" best by rule: {row['best_rule']}"
                )
                parts.append(
                    f'<line class="range" x1="{x:.1f}" x2="{x:.1f}" '
                    f'y1="{y(row["min_value"]):.1f}" y2="{y(row["max_value"]):.1f}" '
                    f'stroke="{colour[row["item"]]}"/>'
                )
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y(row["best_value"]):.1f}" r="6" '
                f'fill="{colour[row["item"]]}" data-value="{row["best_value"]}">'
                f"<title>{escape(tip)}</title></circle>"
                f'<text class="point-label" x="{x + 9:.1f}" y="{y(row["best_value"]) + 4:.1f}">'
                f"{escape(_compact(row['best_value']))}</text>"
            )
    parts.append(
        f'<text class="axis-title" x="14" y="{top + (height - top - bottom) / 2:.0f}" '
        f'transform="rotate(-90 14 {top + (height - top - bottom) / 2:.0f})" '
        f'text-anchor="middle">cancelled (log scale)</text>'
    )
    legend_x, legend_y = left, height - bottom + 36
    for item in items:
        item_width = 30 + 7 * len(item)
        if legend_x + item_width > width - right:
            legend_x, legend_y = left, legend_y + 16
        parts.append(
            f'<circle cx="{legend_x + 6}" cy="{legend_y - 4}" r="5" fill="{colour[item]}"/>'
            f'<text class="legend" x="{legend_x + 15}" y="{legend_y}">{escape(item)}</text>'
        )
        legend_x += item_width
    parts.append("</svg>")
    parts[0] = parts[0].replace(f"0 0 {width} {height}", f"0 0 {width} {legend_y + 10}")
    return "".join(parts)


def _compact(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.3g}k"
    return _number(value)


def poll_chart(rows: Sequence[Row]) -> str:
    """SVG scatter of support and oppose per poll over time; dashed rings flag bad sums."""
    polls = [
        r for r in rows if r["poll_date"] and (r["support"] is not None or r["oppose"] is not None)
    ]
    if not polls:
        return '<p class="empty">No poll support figures in this warehouse.</p>'
    first = min(r["poll_date"] for r in polls).replace(day=1)
    last = max(r["poll_date"] for r in polls)
    last = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    months = (last.year - first.year) * 12 + last.month - first.month
    width, height, left, right, top, bottom = 860, 320, 50, 20, 20, 60
    days = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return left + (width - left - right) * (day - first).days / days

    def y(pct: float) -> float:
        return top + (height - top - bottom) * (1 - pct / 100)

    parts = [
        f'<svg class="chart" id="poll-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Poll support and opposition over time">'
    ]
    for pct in (0, 25, 50, 75, 100):
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(pct)}" y2="{y(pct)}"/>'
            f'<text class="tick" x="{left - 6}" y="{y(pct) + 4}" text-anchor="end">{pct}%</text>'
        )
    step = 1 if months <= 18 else 12
    tick = first if step == 1 else dt.date(first.year, 1, 1)
    while tick <= last:
        if first <= tick and x(tick) < width - right - 20:
            label = tick.strftime("%b %Y") if step == 1 else str(tick.year)
            parts.append(
                f'<text class="tick" x="{x(tick):.1f}" y="{height - bottom + 18}" '
                f'text-anchor="middle">{label}</text>'
            )
        year, month = divmod(tick.month - 1 + step, 12)
        tick = dt.date(tick.year + year, month + 1, 1)
    seen: dict[dt.date, int] = {}
    for row in sorted(polls, key=lambda r: (r["poll_date"], r["poll_id"])):
        shift = seen.get(row["poll_date"], 0)
        seen[row["poll_date"]] = shift + 1
        px = x(row["poll_date"]) + 14 * shift
        who = row["pollster"] or "unnamed pollster"
        for measure, colour in (("support", "#2a9d8f"), ("oppose", "#e76f51")):
            value = row[measure]
            if value is None:
                continue
            tip = (
                f"{who}, {_day(row['poll_date'])}: {measure} {_number(value)}%;"
                f" {row['outlets']} outlet(s)"
            )
            if row["does_not_add_up"]:
                tip += f"; does not add up: {row['add_up_problems']}"
                parts.append(
                    f'<circle class="flag" cx="{px:.1f}" cy="{y(value):.1f}" r="10" fill="none" '
                    f'stroke="#b00020" stroke-dasharray="3 2"/>'
                )
            parts.append(
                f'<circle class="point {measure}" cx="{px:.1f}" cy="{y(value):.1f}" r="6" '
                f'fill="{colour}" data-value="{value}"><title>{escape(tip)}</title></circle>'
                f'<text class="point-label" x="{px + 9:.1f}" y="{y(value) + 4:.1f}">'
                f"{_number(value)}%</text>"
            )
    parts.append(
        f'<circle cx="{left + 6}" cy="{height - 14}" r="5" fill="#2a9d8f"/>'
        f'<text class="legend" x="{left + 15}" y="{height - 10}">support</text>'
        f'<circle cx="{left + 86}" cy="{height - 14}" r="5" fill="#e76f51"/>'
        f'<text class="legend" x="{left + 95}" y="{height - 10}">oppose</text>'
        f'<circle cx="{left + 166}" cy="{height - 14}" r="7" fill="none" stroke="#b00020" '
        f'stroke-dasharray="3 2"/><text class="legend" x="{left + 180}" y="{height - 10}">'
        f"answers do not add up</text></svg>"
    )
    return "".join(parts)


# --- evidence viewer ------------------------------------------------------------------------


def highlight_text(text: str, spans: Sequence[tuple[int, int, str, str]]) -> str:
    """HTML of text with each (start, end, fact_id, fact_type) span wrapped in <mark>.

    Overlapping spans are cut at every boundary; each piece lists all the facts covering it and
    takes the colour of the shortest one.
    """
    valid = [(s, e, fid, kind) for s, e, fid, kind in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, *_ in valid), *(e for _, e, *_ in valid)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = sorted(
            (span for span in valid if span[0] <= start and span[1] >= end),
            key=lambda span: (span[1] - span[0], span[2]),
        )
        chunk = escape(text[start:end], quote=False)
        if not covering:
            pieces.append(chunk)
            continue
        ids = " ".join(span[2] for span in covering)
        overlap = " overlap" if len(covering) > 1 else ""
        pieces.append(
            f'<mark class="fact t-{escape(covering[0][3])}{overlap}" data-facts="{escape(ids)}">'
            f"{chunk}</mark>"
        )
    return "".join(pieces)


def _documents_html(data: ReportData) -> tuple[str, str]:
    by_article: dict[str, list[Row]] = {}
    for fact in data.facts:
        by_article.setdefault(fact["article_id"], []).append(fact)
    buttons, panes = [], []
    for index, doc in enumerate(data.documents):
        facts = by_article.get(doc["article_id"], [])
        spans = [(f["char_start"], f["char_end"], f["fact_id"], f["fact_type"]) for f in facts]
        doc_id = escape(doc["article_id"])
        heading = doc["headline"] or doc["source_file"]
        meta = f"{doc['publisher'] or 'unknown outlet'}, {_day(doc['published_date'])}"
        buttons.append(
            f'<button type="button" class="doc-button" data-doc="{doc_id}">'
            f"<strong>{escape(meta)}</strong><br>{escape(heading)}"
            f'<span class="count">{len(facts)} facts</span></button>'
        )
        url = f' · <a href="{escape(doc["url"])}">original</a>' if doc["url"] else ""
        panes.append(
            f'<article class="doc" id="doc-{doc_id}"{"" if index == 0 else " hidden"}>'
            f"<h3>{escape(heading)}</h3><p class='doc-meta'>{escape(meta)} · "
            f"<code>{escape(doc['source_file'])}</code>{url}</p>"
            f'<pre class="doc-text">{highlight_text(doc["text"], spans)}</pre></article>'
        )
    return "".join(buttons), "".join(panes)


# --- tables ---------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cancellations_table(rows: Sequence[Row]) -> str:
    return _table(
        ["period", "item", "place", "best estimate", "rule", "range", "mentions", "evidence"],
        [
            [
                escape(_period(r["period_start"], r["period_end"])),
                escape(r["item"]),
                escape(r["geography"] or "—"),
                escape(_figure(r["best_value"], r["unit"], r["best_qualifier"])),
                escape(r["best_rule"]),
                escape(
                    f"{_number(r['min_value'])}–{_number(r['max_value'])}"
                    if r["distinct_values"] > 1
                    else "—"
                ),
                f"{r['mentions']} ({r['sources']} sources)",
                _fact_link(r["best_fact_id"], r["best_evidence"]),
            ]
            for r in rows
        ],
    )


def _polls_table(rows: Sequence[Row]) -> str:
    def pct(value: float | None) -> str:
        return "—" if value is None else f"{_number(value)}%"

    return _table(
        ["poll", "date", "question", "support", "oppose", "net", "outlets", "check"],
        [
            [
                escape(
                    " for ".join(filter(None, [r["pollster"] or "unnamed", r["commissioned_by"]]))
                    + (f" (n={r['sample_size']:,})" if r["sample_size"] else "")
                ),
                escape(_day(r["poll_date"])),
                escape(r["question"] or "—"),
                pct(r["support"]),
                pct(r["oppose"]),
                "—" if r["net_support"] is None else f"{r['net_support']:+g}",
                str(r["outlets"]),
                '<span class="bad">does not add up: ' + escape(_add_up_problems(r)) + "</span>"
                if r["does_not_add_up"]
                else escape(_disputed_answers(r) or "ok"),
            ]
            for r in rows
        ],
    )


def _timeline_html(rows: Sequence[Row]) -> str:
    if not rows:
        return '<p class="empty">No strike actions in this warehouse.</p>'
    items = []
    for r in rows:
        when = _period(r["first_day"], r["last_day"])
        if r["start_precision"] == "minute":
            when += f", from {r['starts_at']:%H:%M}"
            if r["ends_at"]:
                when += f" to {r['ends_at']:%-d %b %H:%M}"
        hours = f" · {r['hours']:g} hours" if r["hours"] else ""
        details = [
            f"<strong>{escape(r['staff_group'] or 'staff not named')}</strong> "
            f'<span class="status s-{escape(r["status"])}">{escape(r["status"])}</span>'
            f"{escape(hours)}"
        ]
        if r["scope"]:
            details.append(f"Scope: {escape(r['scope'])}")
        if r["ends_before_start"]:
            details.append('<span class="bad">a source says it ends before it starts</span>')
        if r["cancellations_reported"]:
            lines = "; ".join(_cancellation_line(f) for f in r["cancellations_reported"])
            details.append(f"Cancellations: {escape(lines)}")
        if r["attendance_reported"]:
            lines = "; ".join(_attendance_line(f) for f in r["attendance_reported"])
            details.append(f"Attendance: {escape(lines)}")
        details.append(
            f"{r['mentions']} mentions in {r['outlets']} outlet(s) · "
            + _fact_link(r["fact_ids"][0] if r["fact_ids"] else None, "show evidence")
        )
        items.append(
            f'<li class="strike"><div class="when">{escape(when)}</div>'
            f'<div class="what">{"<br>".join(details)}</div></li>'
        )
    return f'<ol class="timeline">{"".join(items)}</ol>'


def _conflicts_table(rows: Sequence[Row]) -> str:
    if not rows:
        return '<p class="empty">No figures disagree.</p>'
    return _table(
        ["figure", "date", "place", "one source says", "another says", "both can be true?"],
        [
            [
                escape(f"{r['figure_type']}: {r['measure']}"),
                escape(_period(r["period_start"], r["period_end"])),
                escape(r["geography"] or "—"),
                f"<b>{escape(_figure(r['value_a'], r['unit'], r['qualifier_a']))}</b> "
                + _fact_link(r["fact_id_a"], f"“{r['evidence_a']}”")
                + f" <small>{escape(r['publisher_a'] or r['source_file_a'])}</small>",
                f"<b>{escape(_figure(r['value_b'], r['unit'], r['qualifier_b']))}</b> "
                + _fact_link(r["fact_id_b"], f"“{r['evidence_b']}”")
                + f" <small>{escape(r['publisher_b'] or r['source_file_b'])}</small>",
                ("yes, within their hedging" if r["qualifiers_reconcile"] else "no")
                + (" (same outlet)" if r["same_source"] else ""),
            ]
            for r in rows
        ],
        css="conflicts",
    )


PLAUSIBILITY_TESTS = {
    "strike_ends_before_it_starts": "Strike actions a source says end before they start",
    "poll_answers_do_not_add_up": "Poll questions whose answers cannot all be true",
    "figure_far_outside_its_siblings": "Figures far outside the other reports of the same measure",
}


def _plausibility_html(data: ReportData) -> str:
    """The rows the plausibility tests flagged: counts per test, then each flagged row."""
    counts = _table(
        ["check", "rows flagged"],
        [
            [escape(PLAUSIBILITY_TESTS.get(name, name)), str(count)]
            for name, count in data.plausibility.items()
        ],
    )
    flagged = [
        [
            "strike",
            escape(f"{r['staff_group'] or 'staff not named'}, {_day(r['first_day'])}"),
            escape("ends before it starts: " + ", ".join(str(end) for end in r["ends_reported"])),
            _fact_link(r["fact_ids"][0] if r["fact_ids"] else None, "show evidence"),
        ]
        for r in data.timeline
        if r["ends_before_start"]
    ]
    flagged += [
        [
            "poll",
            escape(f"{r['pollster'] or 'unnamed'}, {_day(r['poll_date'])}"),
            escape(_add_up_problems(r)),
            escape(", ".join(r["source_files"])),
        ]
        for r in data.polls
        if r["does_not_add_up"]
    ]
    flagged += [
        [
            "figure",
            escape(f"{r['item']}, {_period(r['period_start'], r['period_end'])}"),
            escape(f"reports range from {_number(r['min_value'])} to {_number(r['max_value'])}"),
            " ".join(_fact_link(f, "evidence") for f in r["far_from_siblings_fact_ids"]),
        ]
        for r in data.cancellations
        if r["has_figure_far_from_siblings"]
    ]
    flagged += [
        [
            "figure",
            escape(f"{r['metric']}, {_day(r['as_of'])}"),
            escape(f"reports range from {_number(r['min_value'])} to {_number(r['max_value'])}"),
            " ".join(_fact_link(f, "evidence") for f in r["far_from_siblings_fact_ids"]),
        ]
        for r in data.attendance_flagged
    ]
    if not flagged:
        return counts + '<p class="empty">No row was flagged.</p>'
    return counts + _table(["kind", "what", "why flagged", "evidence"], flagged)


def _coverage_table(rows: Sequence[Row]) -> str:
    return _table(
        ["outlet", "day", "articles", "posts", "facts"],
        [
            [
                escape(r["publisher"] or "unknown"),
                escape(_day(r["published_date"])),
                str(r["articles"]),
                str(r["posts"]),
                str(r["facts"]),
            ]
            for r in rows
        ],
    )


# --- page -----------------------------------------------------------------------------------

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
  color: #1d1d1f; background: #fafafa; }
header, section { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
.summary { color: #555; }
svg.chart { width: 100%; max-width: 900px; background: #fff; border: 1px solid #e3e3e3; }
.grid { stroke: #e6e6e6; } .tick, .legend, .point-label { font-size: 11px; fill: #444; }
.axis-title { font-size: 12px; fill: #444; } .range { stroke-width: 3; opacity: 0.5; }
table { border-collapse: collapse; background: #fff; margin: 8px 0; width: 100%; }
th, td { border: 1px solid #e3e3e3; padding: 4px 6px; text-align: left; vertical-align: top;
  font-size: 13px; }
th { background: #f0f0f0; }
.bad { color: #b00020; font-weight: 600; }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid #1b6ca8; }
li.strike { display: flex; gap: 12px; margin: 0 0 12px 0; padding-left: 12px; }
li.strike .when { min-width: 230px; font-weight: 600; }
.status { padding: 0 6px; border-radius: 8px; font-size: 12px; background: #eee; }
.s-held { background: #ffd6d6; } .s-planned { background: #c9e4ff; }
.s-suspended { background: #e4e4e4; }
#viewer { display: grid; grid-template-columns: 250px 1fr 330px; gap: 12px; }
#doc-list { display: flex; flex-direction: column; gap: 6px; max-height: 80vh; overflow: auto; }
.doc-button { text-align: left; border: 1px solid #ccc; background: #fff; padding: 6px;
  cursor: pointer; font: inherit; font-size: 13px; }
.doc-button.active { border-color: #1b6ca8; background: #eef5fb; }
.doc-button .count { display: block; color: #666; font-size: 12px; }
.doc-text { white-space: pre-wrap; word-wrap: break-word; background: #fff; padding: 10px;
  border: 1px solid #e3e3e3; max-height: 80vh; overflow: auto; font: 13px/1.5 ui-monospace,
  Menlo, Consolas, monospace; }
.doc-meta { color: #555; font-size: 13px; }
mark.fact { cursor: pointer; border-bottom: 2px solid #888; padding: 0; color: inherit; }
mark.overlap { border-bottom-style: double; border-bottom-width: 4px; }
mark.active { outline: 2px solid #1b6ca8; }
""" + "".join(f"mark.t-{kind} {{ background: {c}; }}\n" for kind, c in FACT_COLOURS.items())

CSS += """
#fact-panel { position: sticky; top: 8px; align-self: start; background: #fff;
  border: 1px solid #e3e3e3; padding: 8px; max-height: 80vh; overflow: auto; font-size: 13px; }
#fact-panel table td:first-child { color: #555; white-space: nowrap; }
.empty { color: #777; font-style: italic; }
.legend-key span { display: inline-block; padding: 0 6px; margin-right: 4px; border-radius: 3px; }
"""

JS = """
(function () {
  var facts = JSON.parse(document.getElementById('fact-rows').textContent);
  var byId = {};
  facts.forEach(function (f) { byId[f.fact_id] = f; });
  var panel = document.getElementById('fact-panel');

  function showDoc(id) {
    document.querySelectorAll('article.doc').forEach(function (d) {
      d.hidden = d.id !== 'doc-' + id;
    });
    document.querySelectorAll('.doc-button').forEach(function (b) {
      b.classList.toggle('active', b.dataset.doc === id);
    });
  }

  function cell(value) {
    if (value === null || value === undefined) return '\\u2014';
    return Array.isArray(value) ? value.join(', ') : String(value);
  }

  function showRows(ids) {
    panel.textContent = '';
    ids.forEach(function (id) {
      var fact = byId[id];
      if (!fact) return;
      var heading = document.createElement('h4');
      heading.textContent = fact.fact_type + ' \\u00b7 ' + id;
      var table = document.createElement('table');
      table.className = 'fact-row';
      table.dataset.fact = id;
      Object.keys(fact).forEach(function (key) {
        var tr = table.insertRow();
        tr.insertCell().textContent = key;
        tr.insertCell().textContent = cell(fact[key]);
      });
      panel.appendChild(heading);
      panel.appendChild(table);
    });
  }

  document.querySelectorAll('mark.fact').forEach(function (mark) {
    mark.addEventListener('click', function () {
      document.querySelectorAll('mark.active').forEach(function (m) {
        m.classList.remove('active');
      });
      mark.classList.add('active');
      showRows(mark.dataset.facts.split(' '));
    });
  });
  document.querySelectorAll('.doc-button').forEach(function (button) {
    button.addEventListener('click', function () { showDoc(button.dataset.doc); });
  });

  function openFact(id) {
    var fact = byId[id];
    if (!fact) return;
    showDoc(fact.article_id);
    var mark = document.querySelector('mark[data-facts~="' + CSS.escape(id) + '"]');
    if (mark) {
      mark.scrollIntoView({block: 'center'});
      mark.click();
    }
    showRows([id]);
  }

  function fromHash() {
    var match = /^#fact=(.+)$/.exec(decodeURIComponent(location.hash));
    if (match) openFact(match[1]);
  }
  window.addEventListener('hashchange', fromHash);
  var first = document.querySelector('.doc-button');
  if (first) showDoc(first.dataset.doc);
  fromHash();
})();
"""


def render_report(data: ReportData) -> str:
    """The whole report as one HTML document."""
    doc_buttons, doc_panes = _documents_html(data)
    fact_json = json.dumps(
        [{k: _json_value(v) for k, v in fact.items()} for fact in data.facts],
        ensure_ascii=False,
    ).replace("<", "\\u003c")
    run = data.run
    run_text = (
        f"Run {run['run_id']}, finished {run['finished_at']:%-d %b %Y %H:%M} UTC. " if run else ""
    )
    counts = (
        f"{len(data.documents)} articles, {len(data.facts)} fact mentions, "
        f"{len(data.timeline)} strike actions, {len(data.polls)} poll questions, "
        f"{len(data.conflicts)} figure conflicts."
    )
    percent_rows = [r for r in data.cancellations if r["unit"] == "percent"]
    key = "".join(
        f'<span class="t-{k}" style="background:{c}">{k}</span>' for k, c in FACT_COLOURS.items()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(data.title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{escape(data.title)}</h1>
<p class="summary">{escape(run_text + counts)} Figures are best estimates across sources; the
rules are in the data dictionary (docs/data_dictionary.md). Every figure links to its evidence.</p>
</header>
<section id="cancellations">
<h2>Cancellations by date</h2>
<p>Best estimate of each count per strike day or period (a period figure is shown once, for the
whole period), log scale; a bar spans the lowest to highest figure sources gave.</p>
{cancellations_chart(data.cancellations)}
<details><summary>All cancellation figures ({len(data.cancellations)})</summary>
{_cancellations_table(data.cancellations)}</details>
{"<h3>Shares cancelled</h3>" + _cancellations_table(percent_rows) if percent_rows else ""}
</section>
<section id="polls">
<h2>Poll support over time</h2>
{poll_chart(data.polls)}
{_polls_table(data.polls)}
</section>
<section id="timeline">
<h2>Strike timeline</h2>
{_timeline_html(data.timeline)}
</section>
<section id="plausibility">
<h2>Plausibility warnings</h2>
<p>What the articles say that is unlikely to be true. The rows stay in the warehouse, flagged in
the marts; these checks warn and never stop a publish.</p>
{_plausibility_html(data)}
</section>
<section id="conflicts">
<h2>Figures that disagree</h2>
{_conflicts_table(data.conflicts)}
</section>
<section id="coverage">
<h2>Coverage by outlet</h2>
{_coverage_table(data.coverage)}
</section>
<section id="evidence">
<h2>Evidence viewer</h2>
<p class="legend-key">Click a highlighted passage to see its fact row. {key}</p>
<div id="viewer">
<nav id="doc-list">{doc_buttons}</nav>
<div id="doc-panes">{doc_panes}</div>
<aside id="fact-panel"><p class="empty">Click a highlight to see its row.</p></aside>
</div>
</section>
<script type="application/json" id="fact-rows">{fact_json}</script>
<script>{JS}</script>
</body>
</html>
"""


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Write the HTML report of a warehouse (default: report.html beside the warehouse)."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `strikewatch run` first")
    out = Path(out) if out else warehouse.parent / "report.html"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        data = load_report_data(con, "strikewatch: junior doctors' strikes in the news")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(data), encoding="utf-8")
    return out

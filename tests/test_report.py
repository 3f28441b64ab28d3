"""The HTML report of the seeds: one offline file, every fact's evidence at its offsets, charts
drawn by Vega in headless Chromium with no error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from report_pages import (
    chart_markup,
    marks_drawn,
    needs_chromium,
    packed_data,
    page_state,
    png_size,
    rendered,
    write_report,
)

from strikewatch.report import CONTEXT_CHARS, chart_specs, readable_metric

SECTIONS = [
    "strikes", "cancellations", "attendance", "polls", "quotes", "conflicts", "coverage",
    "quarantine", "evidence",
]  # fmt: skip


@pytest.fixture(scope="module")
def built(seeds_warehouse, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("report")
    warehouse = folder / "strikewatch.duckdb"
    shutil.copy(seeds_warehouse, warehouse)
    return warehouse, write_report(warehouse)


def test_report_is_one_file_that_loads_nothing(built):
    _, report = built
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=", html) and "<link" not in html
    style = html.split("<style>")[1].split("</style>")[0]
    assert "url(" not in style and "@import" not in style
    for section in SECTIONS:
        assert f'<section id="{section}">' in html


def test_every_fact_carries_its_evidence_context_and_source(built):
    warehouse, report = built
    data = packed_data(report.read_text(encoding="utf-8"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        texts = dict(
            con.execute(
                "select a.article_id, d.text from extracted.articles a "
                "join extracted.documents d using (document_id)"
            ).fetchall()
        )
        fact_count = con.execute("select count(*) from intermediate.int_fact_mentions").fetchone()[
            0
        ]
    articles = data["articles"]
    assert len(data["facts"]) == fact_count > 100
    for fact_id, _, summary, index, start, end, before, evidence, after in data["facts"]:
        text = texts[articles[index][0]]
        assert text[start:end] == evidence, fact_id
        assert text[:start].endswith(before.lstrip("…")), fact_id
        assert text[end:].startswith(after.rstrip("…")), fact_id
        assert len(before) <= CONTEXT_CHARS + 1 and len(after) <= CONTEXT_CHARS + 1
        assert summary
    longest = max(texts.values(), key=len)
    assert longest[: len(longest) // 2] not in str(data), "whole articles do not belong here"


def test_tables_and_charts_read_as_words(built):
    _, report = built
    data = packed_data(report.read_text(encoding="utf-8"))
    assert readable_metric("pct_not_working") == "% not working"
    metrics = {row[1] for row in data["tables"]["attendance"]["rows"]}
    assert metrics and not any("_" in metric for metric in metrics)
    polls = data["datasets"]["polls"]
    assert {"public poll", "member ballot"} <= {point["kind"] for point in polls}
    ballots = [point for point in polls if point["kind"] == "member ballot"]
    assert all("ballot" in point["pollster"].lower() for point in ballots)
    totals = data["tables"]["strike_totals"]
    note = totals["columns"].index("note")
    unit = totals["columns"].index("unit")
    assert any(row[note] == "figures overlap, do not sum" for row in totals["rows"])
    assert all(row[note] is None for row in totals["rows"] if row[unit] != "count")
    for point in data["datasets"]["cancellations"]:
        assert point["evidence"] and point["outlet"] and point["value"] > 0


def test_charts_have_time_axes_and_tooltips_with_the_evidence():
    specs = chart_specs()
    assert set(specs) == {"strikes", "cancellations", "attendance", "polls", "quotes", "coverage"}
    for name in ("strikes", "cancellations", "attendance", "polls"):
        spec = specs[name].get("spec", specs[name])  # a faceted chart's panel
        assert spec["encoding"]["x"]["type"] == "temporal", name
    for name in ("cancellations", "attendance", "polls"):
        spec = specs[name].get("spec", specs[name])
        tips = {tip["field"] for tip in spec["encoding"]["tooltip"]}
        assert {"outlet", "evidence"} <= tips, name
    cancellation_tips = {tip["field"] for tip in specs["cancellations"]["encoding"]["tooltip"]}
    assert {"value", "qualifier"} <= cancellation_tips


@needs_chromium
def test_the_seeds_report_renders_in_chromium_without_errors(built, tmp_path):
    warehouse, report = built
    data = packed_data(report.read_text(encoding="utf-8"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        fact_id, evidence = con.execute(
            "select fact_id, evidence from extracted.cancellations order by value desc limit 1"
        ).fetchone()
    dom, _ = rendered(tmp_path, f"{report.as_uri()}#fact={fact_id}", 2400, "report-fact.png")
    state = page_state(dom)
    assert state.get("status") == "ready", state
    assert state.get("errors") == "0", state
    for name, rows in data["datasets"].items():
        shown = [row for row in rows if row.get("shown", True)]
        chart = chart_markup(dom, name)
        assert f'data-drawn="{len(shown)}"' in chart and "<canvas" in chart, name
        # one point or bar per row, counted from what Vega drew
        assert marks_drawn(chart, "points") + marks_drawn(chart, "bars") == len(shown), name
    points = marks_drawn(chart_markup(dom, "cancellations"), "points")
    assert points == len([row for row in data["datasets"]["cancellations"] if row["shown"]]) > 0
    bars = marks_drawn(chart_markup(dom, "strikes"), "bars")
    assert bars == len(data["datasets"]["strikes"]) > 0
    # every table with rows downloads as CSV; the #fact= link opened the fact with its passage
    filled = [name for name, table in data["tables"].items() if table["rows"]]
    for name in [*filled, "facts"]:
        assert f'class="csv" data-table="{name}"' in dom, name
    panel = dom.split('id="fact-panel"')[1].split("</aside>")[0]
    assert f'data-fact="{fact_id}"' in panel
    escaped = evidence.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert f'data-fact="{fact_id}">{escaped}</mark>' in panel

    _, shot = rendered(tmp_path, report.as_uri(), 2400, "report-seeds.png")  # no fact open
    assert png_size(shot) == (1280, 2400)
    assert shot.stat().st_size > 100_000  # charts and tables, not an empty page

"""The report of a synthetic corpus renders in Chromium: charts aggregated and capped to the
most-reported series, long tables cut with "show all", no console error.

300 articles are enough for what is shown here: more series than a chart draws, thousands of
facts, tables longer than their first page. The size at 10,000 articles is `make bench`'s."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest
from builds import ROOT, build
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

from strikewatch.report import TOP_SERIES

sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import write_corpus  # noqa: E402

ARTICLES = 300
# Vega's script and the page, then a share per article: 4 MB at 1,000 articles, as before.
REPORT_BYTES = 1_000_000 + 3_000 * ARTICLES


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory) -> tuple[Path, Path]:
    source = tmp_path_factory.mktemp("corpus")
    write_corpus(source, ARTICLES)
    warehouse = tmp_path_factory.mktemp("warehouse") / "strikewatch.duckdb"
    summary = build(source, warehouse)
    assert summary.published, summary.problem
    return warehouse, write_report(warehouse)


def test_the_report_stays_small_and_charts_few_series(corpus_report):
    warehouse, report = corpus_report
    data = packed_data(report.read_text(encoding="utf-8"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute("select count(*) from intermediate.int_fact_mentions").fetchone()[0]
    assert len(data["facts"]) == facts > 5 * ARTICLES
    assert report.stat().st_size < REPORT_BYTES  # the 10,000-article budget is 20 MB (make bench)
    assert len({row["series"] for row in data["datasets"]["cancellations"]}) > TOP_SERIES
    for name, key in (("cancellations", "series"), ("attendance", "label")):
        shown = {row[key] for row in data["datasets"][name] if row["shown"]}
        assert 0 < len(shown) <= TOP_SERIES, name


@needs_chromium
def test_the_corpus_report_renders_in_chromium_without_errors(corpus_report, tmp_path):
    _, report = corpus_report
    data = packed_data(report.read_text(encoding="utf-8"))
    dom, shot = rendered(tmp_path, report.as_uri(), 2400, f"report-{ARTICLES}-articles.png")
    state = page_state(dom)
    assert state.get("status") == "ready", state
    assert state.get("errors") == "0", state
    for name, rows in data["datasets"].items():
        shown = [row for row in rows if row.get("shown", True)]
        chart = chart_markup(dom, name)
        assert shown and f'data-drawn="{len(shown)}"' in chart and "<canvas" in chart, name
        # one point or bar per row, counted from what Vega drew
        assert marks_drawn(chart, "points") + marks_drawn(chart, "bars") == len(shown), name
    points = marks_drawn(chart_markup(dom, "cancellations"), "points")
    assert points == len([row for row in data["datasets"]["cancellations"] if row["shown"]])
    assert dom.count('class="show-all"') >= 5  # long tables start short
    assert dom.count("<tr data-fact=") == 200  # the evidence list shows a page, not every fact

    assert png_size(shot) == (1280, 2400)
    assert shot.stat().st_size > 100_000

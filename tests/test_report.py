"""The HTML report: self-contained, evidence highlighted at the right offsets, works in Chromium."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from strikewatch.report import highlight_text

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def built(seeds_warehouse, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("report")
    warehouse = folder / "strikewatch.duckdb"
    shutil.copy(seeds_warehouse, warehouse)
    report = subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", "report", "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    return warehouse, folder / "report.html"


class MarkedText(HTMLParser):
    """Collects, per fact id, the text of the <mark> pieces that carry it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_facts: list[str] | None = None
        self.text_by_fact: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.open_facts = (dict(attrs).get("data-facts") or "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open_facts = None

    def handle_data(self, data: str) -> None:
        for fact_id in self.open_facts or []:
            self.text_by_fact[fact_id] = self.text_by_fact.get(fact_id, "") + data


def marked_text(html: str) -> dict[str, str]:
    parser = MarkedText()
    parser.feed(html)
    return parser.text_by_fact


def test_highlight_escapes_text_and_splits_overlapping_spans():
    text = 'Ward 7 said "<4 & falling" while 120 <b>clinics</b> shut'
    outer = (text.index("120"), len(text), "outer", "cancellations")
    inner = (text.index("<b>"), text.index("</b>") + 4, "inner", "other_figures")
    quote = (text.index('"'), text.index("while") - 1, "q", "quotes")
    html = highlight_text(text, [outer, inner, quote])
    assert "<b>" not in html and "&lt;b&gt;clinics&lt;/b&gt;" in html
    assert '<mark class="fact t-quotes" data-facts="q">"&lt;4 &amp; falling"</mark>' in html
    assert '<mark class="fact t-other_figures overlap" data-facts="inner outer">' in html
    pieces = marked_text(html)
    assert pieces["outer"] == text[outer[0] : outer[1]]
    assert pieces["inner"] == "<b>clinics</b>"
    assert pieces["q"] == '"<4 & falling"'
    unmarked = re.sub(r"<mark[^>]*>|</mark>", "", html)
    assert unmarked.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


def test_highlight_skips_spans_outside_the_text():
    html = highlight_text("short text", [(3, 99, "bad", "quotes"), (0, 5, "ok", "quotes")])
    assert 'data-facts="ok"' in html and "bad" not in html


def test_report_is_one_self_contained_file(built):
    _, report = built
    html = report.read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.split('id="evidence"')[0])
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 2


def test_every_fact_is_highlighted_with_its_exact_evidence(built):
    warehouse, report = built
    pieces = marked_text(report.read_text(encoding="utf-8"))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute(
            """
            select fact_id, evidence from extracted.cancellations union all
            select fact_id, evidence from extracted.poll_results union all
            select fact_id, evidence from extracted.attendance union all
            select fact_id, evidence from extracted.strike_actions union all
            select fact_id, evidence from extracted.quotes union all
            select fact_id, evidence from extracted.other_figures
            """
        ).fetchall()
    assert facts
    for fact_id, evidence in facts:
        assert pieces.get(fact_id) == evidence, fact_id


def test_write_report_defaults_beside_the_warehouse(built):
    warehouse, report = built
    assert report.parent == warehouse.parent and report.exists()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="/usr/bin/chromium is not installed (apt-get install chromium); CI always runs this",
)
def test_report_renders_in_headless_chromium(built, tmp_path):
    warehouse, report = built
    assert CHROMIUM.exists(), "CI must install Debian's chromium for the report test"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        fact_id, evidence = con.execute(
            "select fact_id, evidence from extracted.cancellations order by value desc limit 1"
        ).fetchone()
        count_rows = con.execute(
            "select count(*) from marts.cancellations_by_date where unit = 'count'"
        ).fetchone()[0]
        poll_points = con.execute(
            "select count(support) + count(oppose) from marts.support_by_poll"
        ).fetchone()[0]
    url = f"{report.as_uri()}#fact={fact_id}"

    dom = run_chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr
    html = dom.stdout
    chart = html.split('id="cancellations-chart"')[1].split("</svg>")[0]
    assert chart.count('class="point"') == count_rows > 0
    polls = html.split('id="poll-chart"')[1].split("</svg>")[0]
    assert polls.count('class="point ') == poll_points > 0
    assert html.count('<mark class="fact') > 100
    # the #fact= link ran the click handler: the highlight is active and its row is shown
    assert re.search(rf'<mark class="fact [^"]*active[^"]*" data-facts="[^"]*{fact_id}', html)
    panel = html.split('id="fact-panel"')[1].split("</aside>")[0]
    assert f'data-fact="{fact_id}"' in panel
    assert (
        "<td>evidence</td><td>"
        + evidence.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        in panel
    )
    shown = re.findall(r'<article class="doc" id="doc-([^"]+)"(?! hidden)[^>]*>', html)
    assert len(shown) == 1

    shot = tmp_path / "report.png"
    result = run_chromium(
        tmp_path, "--window-size=1280,2400", "--virtual-time-budget=5000", f"--screenshot={shot}",
        report.as_uri(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert png_size(shot) == (1280, 2400)
    keep = os.environ.get("STRIKEWATCH_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)

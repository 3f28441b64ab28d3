"""Report test helpers: write a report, read its packed data back, render it in Chromium."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    # offline: every host name fails to resolve, so nothing can be fetched from a network
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="/usr/bin/chromium is not installed (make browser); CI always runs this",
)


def write_report(warehouse: Path) -> Path:
    """`strikewatch report` on the warehouse, as a user runs it; the report's path."""
    result = subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", "report", "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse.parent / "report.html"


def packed_data(html: str) -> dict:
    """The report's data, unpacked as the page unpacks it."""
    packed = re.search(r'<script type="application/octet-stream" id="payload">([^<]*)<', html)
    assert packed, "no packed data in the report"
    return json.loads(gzip.decompress(base64.b64decode(packed.group(1))))


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM.exists(), "CI must install Debian's chromium for the report test"
    profile = tmp_path / "chromium-profile"
    return subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def rendered(tmp_path: Path, url: str, height: int, name: str) -> tuple[str, Path]:
    """The page's DOM once its script has finished (or given up), and a screenshot of it in a
    1280-pixel-wide window `height` pixels high, from one run of headless Chromium."""
    shot = tmp_path / name
    result = run_chromium(
        tmp_path, f"--window-size=1280,{height}", "--virtual-time-budget=60000",
        f"--screenshot={shot}", "--dump-dom", url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    keep = os.environ.get("STRIKEWATCH_KEEP_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / name)
    return result.stdout, shot


def page_state(dom: str) -> dict[str, str]:
    """The data-* attributes the page's script sets on <body>: status, errors, ready time."""
    body = re.search(r"<body([^>]*)>", dom)
    assert body
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))


def chart_markup(dom: str, name: str) -> str:
    """The markup of one chart's container."""
    start = dom.index(f'id="chart-{name}"')
    end = dom.find('<div class="table"', start)
    return dom[start:end]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def marks_drawn(chart: str, kind: str) -> int:
    """Points or bars Vega drew in a chart, as the page counts them from Vega's scene graph."""
    found = re.search(rf'data-{kind}="(\d+)"', chart)
    assert found, f"the chart does not say how many {kind} it drew"
    return int(found.group(1))

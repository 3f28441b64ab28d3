"""The `strikewatch run` command end to end, as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from strikewatch.ingest import DecodedDocument, ManifestEntry
from strikewatch.rows import document_rows
from strikewatch.warehouse import run_lock

pytestmark = pytest.mark.usefixtures("shared_prefect_server")

ROOT = Path(__file__).resolve().parent.parent
GOLD = [json.loads(line) for line in (ROOT / "tests/fixtures/gold_seeds.jsonl").open()]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd="/",  # paths must not depend on the current directory
    )


def test_run_output_is_clean_and_summarised(seeds_run):
    warehouse, result = seeds_run
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert "ERROR" not in output
    assert f"Published {warehouse}" in result.stdout
    assert "Files: 5 seen, 5 new" in result.stdout
    assert "core.articles" in result.stdout and "Rows quarantined: 0" in result.stdout
    assert "strikewatch: extracting facts" in result.stderr  # progress goes to stderr
    assert not list(warehouse.parent.glob(".*build*")), "build leftovers beside the warehouse"
    assert not Path(str(warehouse) + ".wal").exists()


def test_articles_match_the_gold_list(seeds_run):
    warehouse, _ = seeds_run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_file, publisher, published_date, headline, authors from core.articles"
        ).fetchall()
    got = {row[0]: row[1:] for row in rows}
    expected = {
        g["file"]: (
            g["publisher"],
            date.fromisoformat(g["published_date"]),
            g["headline"],
            g["authors"],
        )
        for g in GOLD
        if g["type"] == "article"
    }
    assert got == expected


def test_live_page_posts_are_timed(seeds_run):
    warehouse, _ = seeds_run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        timed = con.execute(
            "select count(*) from core.posts where posted_at is not null"
        ).fetchone()
        runs = con.execute("select count(*) from meta.runs").fetchone()
    assert timed[0] >= 20
    assert runs[0] == 1


def _doc(text: str, name: str = "a.txt") -> DecodedDocument:
    return DecodedDocument(name, "f" * 64, len(text.encode()), "utf-8", text)


PAGE = "Doctors strike\n\nWednesday 10 February 2016 08:45 GMT\n\nDoctors walked out today.\n"


def test_manifest_fills_gaps_and_overrides_with_a_note():
    agreeing = ManifestEntry("Daily Bugle", None, date(2016, 2, 10))
    article = document_rows(_doc(PAGE), agreeing)["core.articles"][0]
    assert (article["publisher"], article["published_date_source"]) == ("Daily Bugle", "text")
    assert article["date_note"] is None

    disagreeing = ManifestEntry(None, None, date(2016, 2, 11))
    article = document_rows(_doc(PAGE), disagreeing)["core.articles"][0]
    assert article["published_date"] == date(2016, 2, 11)
    assert article["published_date_source"] == "manifest"
    assert "text says 2016-02-10, manifest says 2016-02-11" in article["date_note"]


def test_a_file_with_no_date_anywhere_is_null_and_flagged():
    article = document_rows(_doc("Doctors strike\n\nThey walked out.\n"), None)["core.articles"][0]
    assert article["published_date"] is None
    assert article["published_date_source"] is None
    assert article["date_note"] == "no date in text or manifest"


READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from raw.documents").fetchone()[0], flush=True)
    sys.stdin.readline()
    print(con.execute("select count(*) from raw.documents").fetchone()[0], flush=True)
    """
)


def test_a_reader_holding_the_warehouse_neither_blocks_nor_sees_a_partial_build(
    seeds_run, tmp_path
):
    published, _ = seeds_run
    warehouse = tmp_path / "strikewatch.duckdb"
    shutil.copy(published, warehouse)
    source = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", source)
    (source / "extra.txt").write_text(PAGE, encoding="utf-8")

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "5"
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "strikewatch.cli",
            "run",
            "--quiet",
            "--source",
            str(source),
            "--warehouse",
            str(warehouse),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = set()
    while run.poll() is None:  # a second reader, opening afresh, only ever sees whole warehouses
        with duckdb.connect(str(warehouse), read_only=True) as con:
            seen.add(con.execute("select count(*) from raw.documents").fetchone()[0])
        time.sleep(0.05)
    out, err = run.communicate()
    assert run.returncode == 0, out + err
    assert seen <= {5, 6}
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "5"  # the old snapshot, still consistent
    reader.wait(timeout=30)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.documents").fetchone()[0] == 6


def test_a_second_run_exits_with_a_clear_message_while_one_is_running(tmp_path):
    warehouse = tmp_path / "strikewatch.duckdb"
    with run_lock(warehouse):
        result = run_cli("run", "--quiet", "--warehouse", str(warehouse))
    assert result.returncode == 3
    assert "another strikewatch run is building" in result.stderr
    assert "Traceback" not in result.stderr
    assert not warehouse.exists()


def test_a_missing_source_folder_is_a_clear_error(tmp_path):
    result = run_cli(
        "run", "--source", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "run" in result.stdout and "eval" in result.stdout
    assert "--source SOURCE" in run_cli("run", "--help").stdout
    assert os.path.exists(ROOT / "seeds" / "sources.csv")


def test_eval_scores_the_published_warehouse_against_the_gold(seeds_run):
    warehouse, _ = seeds_run
    result = run_cli(
        "eval",
        "--gold",
        str(ROOT / "tests/fixtures/gold_seeds.jsonl"),
        "--warehouse",
        str(warehouse),
    )
    assert result.returncode == 0, result.stderr
    scores = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[0] in {"poll", "cancellation", "attendance", "strike", "post"}:
            scores[parts[0]] = float(parts[6])
    assert set(scores) == {"poll", "cancellation", "attendance", "strike", "post"}
    assert all(f1 >= 0.9 for f1 in scores.values()), scores
    assert "(100.0%)" in result.stdout.split("Grounding:")[1].splitlines()[0]

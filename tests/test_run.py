"""The `strikewatch run` command as a user runs it, and what a build publishes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import duckdb
from builds import ROOT, SEEDS, finish_build, run_cli, start_build_process

from strikewatch.document_rows import document_rows
from strikewatch.ingest import DecodedDocument, ManifestEntry
from strikewatch.warehouse import run_lock

GOLD = [json.loads(line) for line in (ROOT / "tests/fixtures/gold_seeds.jsonl").open()]


def test_run_output_is_clean_and_summarised(seeds_run):
    warehouse, status, stdout, stderr = (
        seeds_run.warehouse, seeds_run.status, seeds_run.stdout, seeds_run.stderr
    )  # fmt: skip
    output = stdout + stderr
    assert status == 0, output
    assert "Traceback" not in output
    assert "ERROR" not in output
    assert f"Published {warehouse}" in stdout
    assert "full build)" in stdout and "models (dbt)" in stdout
    assert "Files: 5 seen, 5 new" in stdout
    assert "extracted.articles" in stdout and "Rows quarantined: 0" in stdout
    assert "Plausibility warnings: 1 flagged rows" in stdout
    assert "poll_answers_do_not_add_up" in stdout
    assert "strikewatch: extracting facts" in stderr  # progress goes to stderr
    assert "strikewatch: running dbt build" in stderr
    assert not list(warehouse.parent.glob(".*build*")), "build leftovers beside the warehouse"
    assert not Path(str(warehouse) + ".wal").exists()
    for artifacts in ("target", "logs", "dbt_packages"):
        assert not (ROOT / "sql" / artifacts).exists(), f"dbt wrote sql/{artifacts}"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = con.execute(
            "select count(*) from duckdb_views() where schema_name = 'marts'"
        ).fetchone()[0]
        polls = con.execute("select count(*) from extracted.poll_results").fetchone()[0]
    assert marts == 6
    assert polls > 0  # what they hold: test_eval_floors.py scores this extraction on the gold


def test_articles_match_the_gold_list(seeds_warehouse):
    warehouse = seeds_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_file, publisher, published_date, headline, authors "
            "from extracted.articles"
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


def test_live_page_posts_are_timed(seeds_warehouse):
    warehouse = seeds_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        timed = con.execute(
            "select count(*) from extracted.posts where posted_at is not null"
        ).fetchone()
        runs = con.execute("select count(*) from meta.runs").fetchone()
    assert timed[0] >= 20
    assert runs[0] == 1


def _doc(text: str, name: str = "a.txt") -> DecodedDocument:
    return DecodedDocument(name, "f" * 64, len(text.encode()), "utf-8", text)


PAGE = "Doctors strike\n\nWednesday 10 February 2016 08:45 GMT\n\nDoctors walked out today.\n"


def test_manifest_fills_gaps_and_overrides_with_a_note():
    agreeing = ManifestEntry("Daily Bugle", None, date(2016, 2, 10))
    article = document_rows(_doc(PAGE), agreeing)["extracted.articles"][0]
    assert (article["publisher"], article["published_date_source"]) == ("Daily Bugle", "text")
    assert article["date_note"] is None

    disagreeing = ManifestEntry(None, None, date(2016, 2, 11))
    article = document_rows(_doc(PAGE), disagreeing)["extracted.articles"][0]
    assert article["published_date"] == date(2016, 2, 11)
    assert article["published_date_source"] == "manifest"
    assert "text says 2016-02-10, manifest says 2016-02-11" in article["date_note"]


def test_a_file_with_no_date_anywhere_is_null_and_flagged():
    article = document_rows(_doc("Doctors strike\n\nThey walked out.\n"), None)[
        "extracted.articles"
    ][0]
    assert article["published_date"] is None
    assert article["published_date_source"] is None
    assert article["date_note"] == "no date in text or manifest"


READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from extracted.documents").fetchone()[0], flush=True)
    sys.stdin.readline()
    print(con.execute("select count(*) from extracted.documents").fetchone()[0], flush=True)
    """
)


def test_a_reader_holding_the_warehouse_neither_blocks_nor_sees_a_partial_build(
    seeds_warehouse_copy, tmp_path
):
    warehouse = seeds_warehouse_copy
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    (source / "extra.txt").write_text(PAGE, encoding="utf-8")

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "5"
    run, lines = start_build_process(source, warehouse)
    seen = set()
    while run.is_alive():  # a second reader, opening afresh, only ever sees whole warehouses
        with duckdb.connect(str(warehouse), read_only=True) as con:
            seen.add(con.execute("select count(*) from extracted.documents").fetchone()[0])
        time.sleep(0.05)
    _, published, problem = finish_build(run, lines)
    assert published, problem
    assert seen <= {5, 6}
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "5"  # the old snapshot, still consistent
    reader.wait(timeout=30)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from extracted.documents").fetchone()[0] == 6


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
    assert (ROOT / "seeds" / "sources.csv").exists()


def test_eval_scores_the_published_warehouse_against_the_gold(seeds_warehouse):
    warehouse = seeds_warehouse
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

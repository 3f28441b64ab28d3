"""Hostile input, incremental runs, crashes and concurrent runs (issue: reliability)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hostile_corpus import HOSTILE, REJECTED, build_hostile_corpus, build_variant_corpus

import strikewatch.pipeline as pipeline
from schemas.tables import TABLES
from strikewatch.ingest import Manifest, ManifestEntry
from strikewatch.pipeline import ExtractionCache, process_batch
from strikewatch.warehouse import run_lock

pytestmark = pytest.mark.usefixtures("shared_prefect_server")

ROOT = Path(__file__).resolve().parent.parent
SEED_FILES = sorted(path.name for path in (ROOT / "seeds").glob("*.txt"))
CONTENT_TABLES = [name for name in TABLES if not name.startswith("quarantine.")]


def cli(*args: str, **popen) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "strikewatch.cli", "run", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so a kill reaches Prefect's server process too
        **popen,
    )


def run(*args: str) -> tuple[int, str, str]:
    process = cli(*args)
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def table_contents(warehouse: Path, files: list[str] | None = None) -> dict[str, list[tuple]]:
    """Every content table, sorted, optionally only the rows of some source files."""
    contents = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in CONTENT_TABLES:
            where = f"where source_file in {tuple(files)!r}" if files else ""
            contents[table] = sorted(
                con.execute(f"select * from {table} {where}").fetchall(), key=repr
            )
    return contents


def document_count(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from raw.documents").fetchone()[0]


# --- pipeline level: fast, no Prefect -----------------------------------------------------


def test_a_rule_that_raises_quarantines_only_that_file(tmp_path, monkeypatch):
    for name in ("good.txt", "bad.txt"):
        (tmp_path / name).write_text(
            f"Strike news\n\n{name} BOOM\n"
            if name == "bad.txt"
            else "Strike news\n\nHospitals cancelled 300 operations.\n"
        )
    real = pipeline.extract_facts

    def faulty(doc):
        if "BOOM" in doc.text:
            raise ValueError("rule broke")
        return real(doc)

    monkeypatch.setattr(pipeline, "extract_facts", faulty)
    batch = process_batch(tmp_path, ["bad.txt", "good.txt"], Manifest(), "run-1")
    assert [row["source_file"] for row in batch.rows["core.articles"]] == ["good.txt"]
    (rejected,) = batch.rows["quarantine.rejected_files"]
    assert rejected["source_file"] == "bad.txt"
    assert rejected["reason"] == "extraction failed: ValueError: rule broke"


def test_cache_reuses_unchanged_files_and_redoes_changed_ones(tmp_path, monkeypatch):
    source = build_variant_corpus(tmp_path / "src", 3)
    files = sorted(path.name for path in source.iterdir())
    cache = ExtractionCache(tmp_path / "cache")
    manifest = Manifest({files[0]: ManifestEntry("Daily Bugle", None, date(2016, 4, 26))})

    first = process_batch(source, files, manifest, "r1", cache)
    assert (first.extracted, first.reused) == (files, [])
    again = process_batch(source, files, manifest, "r2", cache)
    assert (again.extracted, again.reused) == ([], files)
    assert again.rows == first.rows

    (source / files[1]).write_text("Edited\n\nHospitals cancelled 9,999 operations.\n")
    (source / "new.txt").write_text("New\n\nHospitals cancelled 12 operations.\n")
    edited = process_batch(source, [*files, "new.txt"], manifest, "r3", cache)
    assert sorted(edited.extracted) == sorted([files[1], "new.txt"])
    values = {
        row["value"] for row in edited.rows["core.cancellations"] if row["source_file"] == files[1]
    }
    assert values == {9999.0}

    moved = Manifest({files[0]: ManifestEntry("Daily Bugle", None, date(2016, 4, 27))})
    assert process_batch(source, files[:1], moved, "r4", cache).extracted == files[:1]

    monkeypatch.setattr(pipeline, "rules_digest", lambda: "an edited rule")
    assert process_batch(source, files, manifest, "r5", cache).extracted == files

    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "next-version")
    assert process_batch(source, files, manifest, "r6", cache).extracted == files


def test_an_over_long_article_is_quarantined_with_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("STRIKEWATCH_MAX_ARTICLE_CHARS", "1000")
    (tmp_path / "long.txt").write_text("Doctors strike. " * 200)
    batch = process_batch(tmp_path, ["long.txt"], Manifest(), "r")
    (rejected,) = batch.rows["quarantine.rejected_files"]
    assert "too long to extract facts from: 3,200 characters (limit 1,000" in rejected["reason"]


@pytest.mark.slow
def test_a_50_mb_article_is_quarantined_and_the_rest_loads(tmp_path):
    paragraph = (ROOT / "seeds" / SEED_FILES[3]).read_text(encoding="utf-8")
    with open(tmp_path / "huge.txt", "w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(paragraph.encode()) + 1):
            handle.write(paragraph)
    shutil.copy(ROOT / "seeds" / SEED_FILES[4], tmp_path / SEED_FILES[4])
    batch = process_batch(tmp_path, ["huge.txt", SEED_FILES[4]], Manifest(), "r")
    (rejected,) = batch.rows["quarantine.rejected_files"]
    assert rejected["source_file"] == "huge.txt"
    assert rejected["reason"].startswith("too long to extract facts from: 49,9")
    assert [row["source_file"] for row in batch.rows["core.articles"]] == [SEED_FILES[4]]


# --- end to end -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_only(seeds_warehouse) -> Path:
    return seeds_warehouse


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("hostile")
    source = build_hostile_corpus(base / "articles")
    warehouse = base / "w.duckdb"
    code, out, err = run("--quiet", "--source", str(source), "--warehouse", str(warehouse))
    assert code == 0, out + err
    return source, warehouse, out + err


def test_hostile_files_are_decoded_or_quarantined_with_reasons(hostile):
    _, warehouse, output = hostile
    assert "Traceback" not in output and "ERROR" not in output
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rejected = dict(
            con.execute("select source_file, reason from quarantine.rejected_files").fetchall()
        )
        texts = dict(con.execute("select source_file, text from raw.documents").fetchall())
        runs = con.execute("select warnings from meta.runs").fetchone()[0]
    assert set(rejected) == REJECTED
    assert rejected["empty.txt"] == "empty file (0 bytes)"
    assert "PNG" in rejected["picture.txt"]
    assert rejected["zz_same_as_first_seed.txt"] == f"same content as {SEED_FILES[0]}"
    assert "loop" in rejected["loop"]
    for name, (data, expected) in HOSTILE.items():
        if name in REJECTED:
            continue
        assert texts[name] == (expected if expected is not None else data.decode("utf-8")), name
    assert "ghost.txt" in runs and "2023-13-45" in runs  # manifest problems are reported


def test_hostile_files_change_nothing_about_the_seeds(hostile, seeds_only):
    _, warehouse, _ = hostile
    assert table_contents(warehouse, SEED_FILES) == table_contents(seeds_only, SEED_FILES)


def test_a_rerun_with_no_change_publishes_nothing_new(hostile, tmp_path):
    source, published, _ = hostile
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(published, warehouse)
    before = warehouse.stat()
    code, out, err = run("--source", str(source), "--warehouse", str(warehouse))
    assert code == 0, out + err
    assert out.startswith("Nothing changed since run ")
    after = warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_forced_rerun_extracts_nothing_and_gives_identical_tables(hostile, tmp_path):
    source, published, _ = hostile
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(published, warehouse)
    shutil.copytree(published.with_name(".w.duckdb.cache"), tmp_path / ".w.duckdb.cache")
    code, out, err = run("--force", "--source", str(source), "--warehouse", str(warehouse))
    assert code == 0, out + err
    assert "0 extracted" in out
    assert table_contents(warehouse) == table_contents(published)


def test_removed_and_edited_files_leave_current_tables_but_stay_in_history(seeds_only, tmp_path):
    source = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", source)
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(seeds_only, warehouse)
    removed, edited = SEED_FILES[3], SEED_FILES[4]
    (source / removed).unlink()
    text = (source / edited).read_text(encoding="utf-8")
    (source / edited).write_text(text.replace("2,800 operations", "2,900 operations"))
    code, out, err = run("--source", str(source), "--warehouse", str(warehouse))
    assert code == 0, out + err
    assert "1 changed" in out and "1 removed" in out
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = {row[0] for row in con.execute("select source_file from core.articles").fetchall()}
        values = {
            row[0]
            for row in con.execute(
                "select value from core.cancellations where source_file = ?", [edited]
            ).fetchall()
        }
        history = set(
            con.execute(
                "select source_file, change from meta.file_history where run_id = "
                "(select max(run_id) from meta.runs)"
            ).fetchall()
        )
    assert removed not in files
    assert 2900.0 in values and 2800.0 not in values
    assert {(removed, "removed"), (edited, "changed")} <= history


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("variants")
    source = build_variant_corpus(base / "articles", 20)
    warehouse = base / "w.duckdb"
    code, out, err = run("--quiet", "--source", str(source), "--warehouse", str(warehouse))
    assert code == 0, out + err
    return source, warehouse


@pytest.mark.parametrize(
    "stage",
    ["extracting facts", "validating and loading", "building SQL models", "publishing"],
)
def test_kill_9_at_any_stage_leaves_a_whole_warehouse(variants, tmp_path, stage):
    source, published = variants
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(published, warehouse)
    grown = tmp_path / "articles"
    shutil.copytree(source, grown)
    (grown / "one_more.txt").write_text("Strike\n\nHospitals cancelled 5 operations.\n")

    process = cli("--source", str(grown), "--warehouse", str(warehouse), "--batch-size", "5")
    for line in process.stderr:
        if line.startswith(f"strikewatch: {stage}"):
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode in (-signal.SIGKILL, 0)
    assert document_count(warehouse) in (20, 21)  # the old warehouse or the new one, whole

    code, out, err = run("--source", str(grown), "--warehouse", str(warehouse))
    assert code == 0, out + err
    assert document_count(warehouse) == 21
    assert not [p for p in tmp_path.iterdir() if ".build-" in p.name]


def test_two_runs_at_once_never_mix(seeds_only, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    first = cli("--warehouse", str(warehouse))
    second = cli("--warehouse", str(warehouse))
    results = [(p.wait(timeout=600), p.stdout.read() + p.stderr.read()) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 3]), results
    for code, output in results:
        if code == 3:
            assert "another strikewatch run is building" in output
        assert "Traceback" not in output
    assert table_contents(warehouse) == table_contents(seeds_only)


def test_a_waiting_run_queues_behind_the_lock_holder(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with run_lock(warehouse):
        waiting = cli("--wait", "--warehouse", str(warehouse))
        time.sleep(3)
        assert waiting.poll() is None  # still waiting for the lock
    out, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, out + err
    assert document_count(warehouse) == len(SEED_FILES)

"""Hostile input, reruns, crashes and concurrent runs, through the builder (no Prefect)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from builds import (
    SEED_FILES,
    SEEDS,
    build,
    document_count,
    finish_build,
    start_build_process,
    table_contents,
)
from hostile_corpus import HOSTILE, REJECTED, build_hostile_corpus, build_variant_corpus

import strikewatch.extraction_cache as extraction_cache_module
from strikewatch.atomic_file import replace_atomically
from strikewatch.extract_batch import extraction_pool, process_batch
from strikewatch.extraction_cache import ExtractionCache
from strikewatch.ingest import Manifest, ManifestEntry
from strikewatch.warehouse import run_lock

# --- extract step: fast, no warehouse --------------------------------------------------------


def test_a_rule_that_raises_quarantines_only_that_file(tmp_path, monkeypatch):
    for name in ("good.txt", "bad.txt"):
        (tmp_path / name).write_text(
            f"Strike news\n\n{name} BOOM\n"
            if name == "bad.txt"
            else "Strike news\n\nHospitals cancelled 300 operations.\n"
        )
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))
    batch = process_batch(
        tmp_path, ["bad.txt", "good.txt"], Manifest(), "run-1", extract_one="faulty_rules:rows_of"
    )
    assert [row["source_file"] for row in batch.rows["extracted.articles"]] == ["good.txt"]
    (rejected,) = batch.rows["quarantine.rejected_files"]
    assert rejected["source_file"] == "bad.txt"
    assert rejected["reason"] == "extraction failed: ValueError: rule broke"


def test_cache_reuses_unchanged_files_and_redoes_changed_ones(tmp_path, monkeypatch):
    with extraction_pool(1):  # one worker for the six batches, as a build keeps one
        _reuse_and_redo(tmp_path, monkeypatch)


def _reuse_and_redo(tmp_path, monkeypatch):
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
        row["value"]
        for row in edited.rows["extracted.cancellations"]
        if row["source_file"] == files[1]
    }
    assert values == {9999.0}

    moved = Manifest({files[0]: ManifestEntry("Daily Bugle", None, date(2016, 4, 27))})
    assert process_batch(source, files[:1], moved, "r4", cache).extracted == files[:1]

    monkeypatch.setattr(extraction_cache_module, "rules_digest", lambda: "an edited rule")
    assert process_batch(source, files, manifest, "r5", cache).extracted == files

    monkeypatch.setattr(extraction_cache_module, "EXTRACTOR_VERSION", "next-version")
    assert process_batch(source, files, manifest, "r6", cache).extracted == files


def test_an_over_long_article_is_quarantined_with_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("STRIKEWATCH_MAX_ARTICLE_CHARS", "1000")
    (tmp_path / "long.txt").write_text("Doctors strike. " * 200)
    batch = process_batch(tmp_path, ["long.txt"], Manifest(), "r")
    (rejected,) = batch.rows["quarantine.rejected_files"]
    assert "too long to extract facts from: 3,200 characters (limit 1,000" in rejected["reason"]


@pytest.mark.slow
def test_a_50_mb_article_is_quarantined_and_the_rest_loads(tmp_path):
    paragraph = (SEEDS / SEED_FILES[3]).read_text(encoding="utf-8")
    with open(tmp_path / "huge.txt", "w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(paragraph.encode()) + 1):
            handle.write(paragraph)
    shutil.copy(SEEDS / SEED_FILES[4], tmp_path / SEED_FILES[4])
    batch = process_batch(tmp_path, ["huge.txt", SEED_FILES[4]], Manifest(), "r")
    (rejected,) = batch.rows["quarantine.rejected_files"]
    assert rejected["source_file"] == "huge.txt"
    assert rejected["reason"].startswith("too long to extract facts from: 49,9")
    assert [row["source_file"] for row in batch.rows["extracted.articles"]] == [SEED_FILES[4]]


# --- whole builds -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("hostile")
    source = build_hostile_corpus(base / "articles")
    warehouse = base / "w.duckdb"
    summary = build(source, warehouse)
    assert summary.published, summary.problem
    return source, warehouse


def test_hostile_files_are_decoded_or_quarantined_with_reasons(hostile):
    _, warehouse = hostile
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rejected = dict(
            con.execute("select source_file, reason from quarantine.rejected_files").fetchall()
        )
        texts = dict(con.execute("select source_file, text from extracted.documents").fetchall())
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


def test_hostile_files_change_nothing_about_the_seeds(hostile, seeds_warehouse):
    _, warehouse = hostile
    seeds_rows = table_contents(seeds_warehouse, ("extracted",), SEED_FILES)
    assert table_contents(warehouse, ("extracted",), SEED_FILES) == seeds_rows


def test_a_rerun_with_no_change_publishes_nothing_new(hostile, tmp_path):
    source, published = hostile
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(published, warehouse)
    before = warehouse.stat()
    summary = build(source, warehouse)
    assert summary.unchanged_since is not None
    after = warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_forced_rerun_extracts_nothing_and_gives_identical_tables(hostile, tmp_path):
    source, published = hostile
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(published, warehouse)
    shutil.copytree(published.with_name(".w.duckdb.cache"), tmp_path / ".w.duckdb.cache")
    summary = build(source, warehouse, force=True)
    assert summary.published, summary.problem
    assert summary.build_mode == "full"
    assert summary.load.files_extracted == 0
    assert table_contents(warehouse) == table_contents(published)


def test_removed_and_edited_files_leave_current_tables_but_stay_in_history(
    seeds_warehouse_copy, tmp_path
):
    warehouse = seeds_warehouse_copy
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    removed, edited = SEED_FILES[3], SEED_FILES[4]
    (source / removed).unlink()
    text = (source / edited).read_text(encoding="utf-8")
    (source / edited).write_text(text.replace("2,800 operations", "2,900 operations"))
    summary = build(source, warehouse)
    assert summary.published, summary.problem
    assert (summary.load.files_changed, summary.load.files_removed) == (1, 1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = {r[0] for r in con.execute("select source_file from extracted.articles").fetchall()}
        values = {
            row[0]
            for row in con.execute(
                "select value from extracted.cancellations where source_file = ?", [edited]
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


# --- crashes and concurrency: builds in child processes ----------------------------------------


@pytest.fixture
def seeds_and_one_more(seeds_warehouse_copy, tmp_path) -> tuple[Path, Path]:
    """The seeds with one new article, and a copy of their published warehouse."""
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    (source / "one_more.txt").write_text("Strike\n\nHospitals cancelled 5 operations.\n")
    return source, seeds_warehouse_copy


STAGES = ["extracting facts", "validating and loading", "running dbt", "publishing"]


def test_kill_9_at_any_stage_leaves_a_whole_warehouse(seeds_and_one_more, tmp_path):
    """Runs killed at each stage in turn, then one that finishes: the warehouse is always whole."""
    grown, warehouse = seeds_and_one_more
    seeds = len(SEED_FILES)
    for stage in STAGES:
        process, lines = start_build_process(grown, warehouse)
        while True:
            line = lines.get(timeout=600)
            if isinstance(line, tuple):  # finished before the stage came: too late to kill
                break
            if line.startswith(stage):
                os.kill(process.pid, signal.SIGKILL)
                break
        process.join(60)
        assert process.exitcode in (-signal.SIGKILL, 0), stage
        # the old warehouse or the new one, whole
        assert document_count(warehouse) in (seeds, seeds + 1), stage

    summary = build(grown, warehouse)
    assert summary.published or summary.unchanged_since, summary.problem
    assert document_count(warehouse) == seeds + 1
    assert not [p for p in warehouse.parent.iterdir() if ".build" in p.name]


def test_two_runs_at_once_never_mix(seeds_and_one_more, seeds_warehouse):
    source, warehouse = seeds_and_one_more
    runs = [start_build_process(source, warehouse) for _ in range(2)]
    results = [finish_build(process, lines) for process, lines in runs]
    published = [result[1] for result in results]
    problems = [result[2] for result in results if not result[1]]
    assert any(published), results
    assert all("another strikewatch run is building" in problem for problem in problems), problems
    assert document_count(warehouse) == len(SEED_FILES) + 1
    seeds_rows = table_contents(seeds_warehouse, ("extracted",), SEED_FILES)
    assert table_contents(warehouse, ("extracted",), SEED_FILES) == seeds_rows


def test_a_waiting_run_queues_behind_the_lock_holder(seeds_and_one_more):
    source, warehouse = seeds_and_one_more
    with run_lock(warehouse):
        process, lines = start_build_process(source, warehouse, wait_for_lock=True)
        time.sleep(2)
        assert process.is_alive() and lines.empty()  # still waiting for the lock
    _, published, problem = finish_build(process, lines)
    assert published, problem
    assert document_count(warehouse) == len(SEED_FILES) + 1


def test_a_file_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    """The batch files, the extraction cache, the file-state record and dbt's stored state are
    written through replace_atomically: a write that fails half-way leaves the old file and no
    partial one."""
    target = tmp_path / "state.json"
    target.write_text("old")

    def fails_half_way(partial: Path) -> None:
        partial.write_text("half of the n")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_atomically(target, fails_half_way)
    assert [path.name for path in tmp_path.iterdir()] == ["state.json"]
    assert target.read_text() == "old"
    replace_atomically(target, lambda partial: partial.write_text("new"))
    assert [path.name for path in tmp_path.iterdir()] == ["state.json"]
    assert target.read_text() == "new"

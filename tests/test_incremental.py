"""Incremental publish: a run on a copy of the published warehouse replaces only the rows of the
files that changed, and gives exactly what a full rebuild of the same files gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from builds import SEED_FILES, SEEDS, build, table_contents
from test_old_readers import assert_a_1x_reader_reads_everything, storage_version

# One extraction worker for every build of the module (conftest.py: shared_extraction_pool).
pytestmark = pytest.mark.usefixtures("shared_extraction_pool")

LAYERS = ("extracted", "quarantine", "meta", "staging", "intermediate", "marts")


@pytest.fixture(scope="module")
def changed(seeds_warehouse, tmp_path_factory) -> tuple[Path, Path, object]:
    """The seeds warehouse after a run that adds, edits, removes and duplicates files."""
    base = tmp_path_factory.mktemp("incremental")
    warehouse = base / "strikewatch.duckdb"
    shutil.copy(seeds_warehouse, warehouse)
    state = f".{seeds_warehouse.name}.dbt-state"  # dbt's state of the published build
    shutil.copytree(seeds_warehouse.with_name(state), base / state)
    source = base / "articles"
    shutil.copytree(SEEDS, source)
    (source / "new.txt").write_text(
        "Junior doctors strike again\n\nHospitals cancelled 4,100 operations on 6 April 2016, "
        "NHS England said.\n",
        encoding="utf-8",
    )
    edited = source / SEED_FILES[1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nUpdated at 9pm.\n", "utf-8")
    (source / SEED_FILES[2]).unlink()
    shutil.copy(source / SEED_FILES[3], source / "0000_copy_that_sorts_first.txt")
    summary = build(source, warehouse)
    assert summary.published, summary.problem
    return source, warehouse, summary


def test_only_the_changed_files_are_read_and_replaced(changed):
    _, warehouse, summary = changed
    assert summary.build_mode == "incremental"
    # new.txt and the edited file; the copy and its original, since which one is kept depends
    # on both; never the two unchanged seeds
    assert summary.load.files_extracted + summary.load.files_reused == 4
    assert summary.load.files_kept == 2
    assert len(summary.models) == 7  # the intermediate tables; the views stand
    load = summary.load
    # the published original keeps its identity; the copy that sorts first is the duplicate
    assert (load.files_new, load.files_changed, load.files_removed) == (1, 1, 1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rejected = con.execute(
            "select source_file, reason from quarantine.rejected_files"
        ).fetchall()
        mode = con.execute(
            "select build_mode from meta.runs order by finished_at desc limit 1"
        ).fetchone()[0]
    assert rejected == [("0000_copy_that_sorts_first.txt", f"same content as {SEED_FILES[3]}")]
    assert mode == "incremental"


def test_an_incremental_publish_keeps_the_old_storage_version(changed):
    """DuckDB 1.x readers still open the warehouse after an incremental publish (the seeds
    warehouse itself: tests/test_old_readers.py)."""
    _, warehouse, summary = changed
    assert summary.published
    assert summary.build_mode == "incremental"
    assert storage_version(warehouse) == "v1.0.0+"
    assert_a_1x_reader_reads_everything(warehouse)


def test_an_incremental_run_equals_a_full_rebuild(changed, seeds_warehouse, tmp_path):
    source, warehouse, _ = changed
    # a full rebuild over the same published warehouse: which copy of a file is the duplicate
    # depends on it (the published one keeps its identity)
    rebuilt = tmp_path / "strikewatch.duckdb"
    shutil.copy(seeds_warehouse, rebuilt)
    summary = build(source, rebuilt, force=True)
    assert summary.published and summary.build_mode == "full", summary.problem
    incremental, full = table_contents(warehouse, LAYERS), table_contents(rebuilt, LAYERS)
    assert set(incremental) == set(full)
    for relation, rows in full.items():
        assert incremental[relation] == rows, relation
    # the comparison is not vacuous: every layer holds rows of the new file
    assert any("new.txt" in repr(row) for row in full["marts.cancellations_by_date"])
    assert len(full["extracted.articles"]) == 5


def test_a_changed_model_is_rebuilt_on_the_copy(changed, tmp_path, monkeypatch):
    """A run whose only change is one model recreates that model and what reads it."""
    import strikewatch.plan

    source, published, _ = changed
    warehouse = tmp_path / "strikewatch.duckdb"
    shutil.copy(published, warehouse)
    for kept in (".cache", ".dbt-state"):
        name = f".{published.name}{kept}"
        shutil.copytree(published.with_name(name), tmp_path / name)
    # The state of the published build says coverage_by_source had another body: as if the
    # model had just been edited.
    state = tmp_path / f".{warehouse.name}.dbt-state" / "manifest.json"
    manifest = json.loads(state.read_text(encoding="utf-8"))
    edited = manifest["nodes"]["model.strikewatch.coverage_by_source"]
    edited["raw_code"] = edited["raw_code"].replace("count(*) as articles", "0 as articles")
    state.write_text(json.dumps(manifest), encoding="utf-8")
    (state.parent / "project_digest").write_text("the project before the edit", encoding="utf-8")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        run_id = con.execute("select max(run_id) from meta.runs").fetchone()[0]
    # ... and the run goes ahead, since a model changed (the fingerprint covers sql/)
    monkeypatch.setattr(strikewatch.plan, "last_fingerprint", lambda target: (run_id, "old"))
    summary = build(source, warehouse)
    assert summary.published, summary.problem
    assert summary.build_mode == "incremental"
    # no input changed: only the quarantined copy and its twin are read again (a quarantined
    # file always is: what kept it out may have gone)
    assert summary.load.files_extracted == 0 and summary.load.files_reused == 2
    assert "marts.coverage_by_source" in summary.models
    assert "marts.support_by_poll" not in summary.models  # unchanged views stand
    assert table_contents(warehouse, LAYERS) == table_contents(published, LAYERS)

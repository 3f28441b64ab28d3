"""The load step holds a chunk of files at a time: loading in many chunks gives the warehouse that
one chunk of everything gives, quarantine included."""

from __future__ import annotations

from pathlib import Path

import pytest
from builds import table_contents
from hostile_corpus import REJECTED, build_hostile_corpus

import strikewatch.load
from strikewatch.build import extract_arguments, extract_step
from strikewatch.extract_batch import extraction_pool, read_batch, write_batch
from strikewatch.load import _chunks, load_build
from strikewatch.plan import plan_build
from strikewatch.warehouse import run_lock


@pytest.fixture(scope="module")
def stored_batches(tmp_path_factory) -> tuple[list[Path], object]:
    """The hostile corpus extracted in batches of three files, one fact made to fail its check."""
    folder = tmp_path_factory.mktemp("chunks")
    source = build_hostile_corpus(folder / "source")
    target = folder / "warehouse.duckdb"
    with run_lock(target):
        plan = plan_build(source, target, source / "sources.csv", force=True)
    with extraction_pool(1):
        paths = [
            extract_step(*extract_arguments(plan, files, index))
            for index, files in enumerate(plan.batches(3))
        ]
    for path in paths:  # a fact whose evidence ends where it starts fails validation
        batch = read_batch(path)
        facts = batch.rows["extracted.cancellations"]
        if facts:
            facts[0]["char_end"] = facts[0]["char_start"]
            write_batch(batch, path)
            break
    else:
        raise AssertionError("the corpus gave no cancellation to break")
    return paths, plan


def _load(paths: list[Path], plan, build_file: Path, chunk_files: int, monkeypatch) -> dict:
    monkeypatch.setattr(strikewatch.load, "LOAD_CHUNK_FILES", chunk_files)
    result = load_build(build_file, paths, plan.run_id, plan.target, plan.rejected, plan.load_plan)
    return {"result": result, "tables": table_contents(build_file)}


def test_loading_chunk_by_chunk_gives_the_one_shot_warehouse(stored_batches, tmp_path, monkeypatch):
    paths, plan = stored_batches
    assert len(_chunks(paths, 3)) == 1 and len(paths) > 4
    monkeypatch.setattr(strikewatch.load, "LOAD_CHUNK_FILES", 1)
    assert len(_chunks(paths, 3)) == len(paths)
    one_shot = _load(paths, plan, tmp_path / "one.duckdb", 1_000_000, monkeypatch)
    chunked = _load(paths, plan, tmp_path / "chunked.duckdb", 1, monkeypatch)
    assert chunked["tables"] == one_shot["tables"]
    assert chunked["result"].rows_loaded == one_shot["result"].rows_loaded
    assert chunked["result"].rejected_files == one_shot["result"].rejected_files
    rejected_rows = chunked["tables"]["quarantine.rejected_rows"]
    assert len(rejected_rows) == 1 and "offsets_ordered" in repr(rejected_rows[0])
    quarantined = {row["source_file"] for row in chunked["result"].rejected_files}
    assert quarantined >= REJECTED
    assert chunked["result"].files_loaded == len(chunked["tables"]["extracted.documents"])

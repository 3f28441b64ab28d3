"""What a run pays for: nothing changed is decided before Prefect, from stats, reading no article;
a file is read once, and the bytes hashed are the bytes extracted (issue 14, case 9)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from builds import ROOT, SEED_FILES, SEEDS, build

import strikewatch.file_state
import strikewatch.plan
from strikewatch.build import CHANGED_DURING_RUN, build_planned, extraction_workers, no_progress
from strikewatch.extract_batch import Batch, empty_rows, read_batch, write_batch
from strikewatch.file_state import state_path_for
from strikewatch.plan import plan_build
from strikewatch.warehouse import run_lock

# One extraction worker for every build of the module (conftest.py: shared_extraction_pool).
pytestmark = pytest.mark.usefixtures("shared_extraction_pool")

NEW_PARAGRAPH = "\n\nHospital trusts said 4,321 routine operations were cancelled on the day.\n"


@pytest.fixture
def published_seeds(seeds_warehouse, tmp_path) -> Path:
    """A copy of the seeds warehouse with everything kept beside it, file states included."""
    copy = tmp_path / seeds_warehouse.name
    shutil.copy(seeds_warehouse, copy)
    for beside in (".cache", ".dbt-state"):
        shutil.copytree(
            seeds_warehouse.with_name(f".{seeds_warehouse.name}{beside}"),
            tmp_path / f".{copy.name}{beside}",
        )
    shutil.copy(state_path_for(seeds_warehouse), state_path_for(copy))
    return copy


@pytest.fixture
def counted_reads(monkeypatch) -> list[str]:
    """The names of the article files the plan reads."""
    reads: list[str] = []
    real = strikewatch.plan.read_document_bytes

    def counting(path, source_file, *args, **kwargs):
        reads.append(source_file)
        return real(path, source_file, *args, **kwargs)

    monkeypatch.setattr(strikewatch.plan, "read_document_bytes", counting)
    return reads


def test_nothing_changed_reads_no_article_unless_full_hashing_is_asked(
    published_seeds, counted_reads, monkeypatch
):
    with run_lock(published_seeds):
        plan = plan_build(SEEDS, published_seeds, SEEDS / "sources.csv")
    assert plan.unchanged_since is not None
    assert counted_reads == []  # the stats match the ones recorded when the files were hashed
    monkeypatch.setenv("STRIKEWATCH_FULL_HASHING", "1")
    with run_lock(published_seeds):
        plan = plan_build(SEEDS, published_seeds, SEEDS / "sources.csv")
    assert plan.unchanged_since is not None
    assert sorted(counted_reads) == SEED_FILES


def test_the_no_op_is_decided_before_prefect_pandas_or_pandera_load(published_seeds):
    result = _in_a_new_interpreter(
        "from strikewatch.cli import main\n"
        f"status = main(['run', '--source', {str(SEEDS)!r}, '--warehouse', "
        f"{str(published_seeds)!r}])\n"
        "print('status', status, 'loaded', heavy())\n"
    )
    assert "Nothing changed since run" in result.stdout, result.stdout + result.stderr
    assert "status 0 loaded []" in result.stdout


def test_a_build_is_planned_before_pandas_or_pandera_load(tmp_path):
    """The temporary Prefect server starts when the plan does: the plan leaves pandas and
    pandera (a second of imports) to the flow, so that they overlap the server's start."""
    result = _in_a_new_interpreter(
        "from pathlib import Path\n"
        "from strikewatch.plan import plan_build\n"
        f"plan = plan_build(Path({str(SEEDS)!r}), Path({str(tmp_path / 'w.duckdb')!r}), "
        f"Path({str(SEEDS / 'sources.csv')!r}), True)\n"
        "print('to extract', len(plan.to_extract), 'loaded', heavy())\n"
    )
    assert f"to extract {len(SEED_FILES)} loaded []" in result.stdout, result.stdout + result.stderr


def _in_a_new_interpreter(script: str) -> subprocess.CompletedProcess[str]:
    """`script` run by a new Python, where `heavy()` lists the slow imports it has loaded."""
    preamble = (
        "import sys\n"
        "def heavy():\n"
        "    return [m for m in ('prefect', 'pandas', 'pandera', 'dbt') if m in sys.modules]\n"
    )
    return subprocess.run(
        [sys.executable, "-c", preamble + script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def _document_id(warehouse: Path, source_file: str) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select document_id from extracted.documents where source_file = ?", [source_file]
        ).fetchone()[0]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_files_rewritten_or_touched_around_runs(tmp_path, counted_reads, monkeypatch):
    """Three cases in turn on one copy of the seeds, sharing its first build: a file rewritten
    after it was hashed, a file touched with the same bytes, and a trusted file rewritten
    during a run."""
    monkeypatch.setattr(strikewatch.file_state, "RACY_SECONDS", 0.0)
    source = tmp_path / "articles"
    shutil.copytree(SEEDS, source)
    warehouse = tmp_path / "strikewatch.duckdb"
    _a_file_rewritten_after_it_was_hashed_is_extracted_from_the_bytes_hashed(source, warehouse)
    _a_touched_file_is_read_and_still_nothing_changed(source, warehouse, counted_reads)
    _a_trusted_file_rewritten_during_a_run_leaves_no_warehouse_called_current(source, warehouse)


def _a_file_rewritten_after_it_was_hashed_is_extracted_from_the_bytes_hashed(
    source: Path, warehouse: Path
) -> None:
    rewritten = source / SEED_FILES[1]
    with run_lock(warehouse):
        plan = plan_build(source, warehouse, source / "sources.csv")
        planned = plan.hashes[SEED_FILES[1]]
        rewritten.write_text(rewritten.read_text(encoding="utf-8") + NEW_PARAGRAPH)
        summary = build_planned(plan, progress=no_progress)
    assert summary.published, summary.problem
    assert _document_id(warehouse, SEED_FILES[1]) == planned  # the bytes fingerprinted
    rerun = build(source, warehouse)
    assert rerun.unchanged_since is None and rerun.published, rerun.problem
    assert _document_id(warehouse, SEED_FILES[1]) == _sha256(rewritten)
    assert build(source, warehouse).unchanged_since


def _a_touched_file_is_read_and_still_nothing_changed(
    source: Path, warehouse: Path, counted_reads: list[str]
) -> None:
    counted_reads.clear()
    touched = source / SEED_FILES[0]
    touched.write_bytes(touched.read_bytes())  # same bytes, new mtime and ctime
    with run_lock(warehouse):
        plan = plan_build(source, warehouse, source / "sources.csv")
    assert plan.unchanged_since is not None
    assert counted_reads == [SEED_FILES[0]]
    assert not plan.build_dir.exists()  # nor its snapshot
    with run_lock(warehouse):  # the new stat is recorded: the next check reads nothing
        assert plan_build(source, warehouse, source / "sources.csv").unchanged_since
    assert counted_reads == [SEED_FILES[0]]


def _a_trusted_file_rewritten_during_a_run_leaves_no_warehouse_called_current(
    source: Path, warehouse: Path
) -> None:
    rewritten = source / SEED_FILES[2]
    with run_lock(warehouse):
        # --force: every file is extracted, read from the source since its stat is trusted
        plan = plan_build(source, warehouse, source / "sources.csv", force=True)
        rewritten.write_text(rewritten.read_text(encoding="utf-8") + NEW_PARAGRAPH)
        summary = build_planned(plan, progress=no_progress)
    assert summary.published, summary.problem
    assert any("changed while this run read them" in warning for warning in summary.warnings)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        fingerprint = con.execute(
            "select input_fingerprint from meta.runs order by finished_at desc limit 1"
        ).fetchone()[0]
    assert fingerprint.endswith(CHANGED_DURING_RUN)
    rerun = build(source, warehouse)
    assert rerun.unchanged_since is None and rerun.published, rerun.problem
    assert _document_id(warehouse, SEED_FILES[2]) == _sha256(rewritten)
    assert build(source, warehouse).unchanged_since


def test_a_batch_is_stored_as_data_and_read_back_with_its_dates(tmp_path):
    batch = Batch(empty_rows(), extracted=["a.txt"], reused=["b.txt"], changed_during_run=[])
    row = {"source_file": "a.txt", "published_date": date(2023, 3, 13), "count": 7, "x": None}
    batch.rows["extracted.articles"].append(row)
    batch.rows["extracted.documents"].append(
        {"source_file": "a.txt", "document_id": "d1", "seen": datetime(2023, 3, 13, tzinfo=UTC)}
    )
    path = write_batch(batch, tmp_path / "batch-00000.jsonl")
    assert json.loads(path.read_text().splitlines()[0])["extracted"] == ["a.txt"]
    again = read_batch(path)
    assert again.rows["extracted.articles"] == [row]
    assert again.rows["extracted.documents"][0]["seen"] == datetime(2023, 3, 13, tzinfo=UTC)
    assert again.reused == ["b.txt"]
    planted = tmp_path / "batch-00001.jsonl"
    planted.write_bytes(b"\x80\x05\x95 not a batch")  # a pickle's opening bytes
    with pytest.raises(ValueError):
        read_batch(planted)


def test_extraction_workers_follow_the_input_size(published_seeds):
    with run_lock(published_seeds):
        plan = plan_build(SEEDS, published_seeds, SEEDS / "sources.csv", force=True)
    assert extraction_workers(plan) == 1  # five articles: a pool would cost more than it saves
    assert extraction_workers(plan, requested=3) == 3
    big = next(iter(plan.file_states.files))
    stat, digest = plan.file_states.files[big]
    plan.file_states.files[big] = ((50_000_000, *stat[1:]), digest)
    assert extraction_workers(plan) == len(os.sched_getaffinity(0))


def test_a_new_warehouse_reads_the_stored_parse_of_the_project(tmp_path, monkeypatch):
    from strikewatch import dbt_build

    monkeypatch.setenv("STRIKEWATCH_DBT_PARSE_CACHE", str(tmp_path / "parses"))
    monkeypatch.setattr(dbt_build, "_parsed", {})
    commands: list[str] = []
    real_invoke = dbt_build.invoke_dbt

    def counting(arguments, *args, **kwargs):
        commands.append(arguments[0])
        return real_invoke(arguments, *args, **kwargs)

    monkeypatch.setattr(dbt_build, "invoke_dbt", counting)
    first = tmp_path / "first" / ".w.duckdb.build"
    parsed = dbt_build.parsed_manifest(first / "warehouse.duckdb", first / "dbt")
    assert commands == ["parse"]
    (stored,) = (tmp_path / "parses").glob("manifest-*.msgpack")

    monkeypatch.setattr(dbt_build, "_parsed", {})  # as in a new process
    other = tmp_path / "other" / ".w.duckdb.build"
    again = dbt_build.parsed_manifest(other / "warehouse.duckdb", other / "dbt")
    assert commands == ["parse"]  # dbt's own partial parse would have parsed in full here
    assert sorted(again.nodes) == sorted(parsed.nodes)
    assert again.flat_graph  # as a parse leaves it

    # the state of a published warehouse: dbt's manifest.json, written once, copied after
    import dbt.parser.manifest

    written: list[str] = []
    real_write = dbt.parser.manifest.write_manifest
    monkeypatch.setattr(
        dbt.parser.manifest,
        "write_manifest",
        lambda manifest, path: written.append(path) or real_write(manifest, path),
    )
    for folder in (first, other):
        dbt_build.save_state(folder / "warehouse.duckdb", folder / "dbt", folder / "state", "r1")
    assert len(written) == 1
    states = [(folder / "state" / "manifest.json").read_bytes() for folder in (first, other)]
    assert states[0] == states[1] and b"model.strikewatch.int_polls" in states[0]
    assert dbt_build.trusted_state(other / "state", "r1") == other / "state"

    stored.write_bytes(b"not a manifest")
    assert dbt_build._read_manifest(stored) is None  # the next run parses instead


def test_pandera_reads_the_models_without_importing_dask():
    script = (
        "import sys\n"
        "import pandas as pd\n"
        "from schemas.tables import TABLES\n"
        "from strikewatch.validate import validate_table\n"
        "for model in TABLES.values():\n"
        "    model.to_schema()\n"
        "row = {'run_id': 'r', 'source_file': 'a.txt', 'reason': 'empty file'}\n"
        "validated = validate_table('quarantine.rejected_files', [row], 'r')\n"
        "print('rows', len(validated.frame), 'dask' in sys.modules)\n"
        "import dask\n"
        "print('dask', dask.__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert "rows 1 False" in result.stdout, result.stdout + result.stderr
    assert "dask dask" in result.stdout  # Dask itself stays importable


def test_a_temporary_server_starts_before_prefect_only_when_no_profile_names_a_server(
    tmp_path, monkeypatch
):
    from strikewatch.cli import _profile_may_name_a_server

    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    assert not _profile_may_name_a_server(tmp_path)  # no profiles file
    (tmp_path / "profiles.toml").write_text('active = "default"\n[profiles.default]\n')
    assert not _profile_may_name_a_server(tmp_path)
    named = tmp_path / "elsewhere.toml"
    named.write_text('[profiles.local]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n')
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(named))
    assert _profile_may_name_a_server(tmp_path)  # Prefect's own reading then decides

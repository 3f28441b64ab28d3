"""Guards (issue 14, part 2): no code from the cache, no history lost to a warehouse held open,
no warehouse shrunk by accident, duplicates that keep their identity, conflicts in linear space.

The builder runs in process (tests/builds.py); only the exit statuses go through
`strikewatch.cli.main`, and the process holding a warehouse open is a child.
"""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from builds import SEED_FILES, SEEDS, build, table_contents
from hostile_corpus import build_variant_corpus

from strikewatch import cli
from strikewatch.extract_batch import process_batch
from strikewatch.extraction_cache import ExtractionCache
from strikewatch.ingest import DecodedDocument, Manifest, find_duplicates
from strikewatch.warehouse import WarehouseUnavailable, open_previous

ROOT = Path(__file__).resolve().parent.parent


def run_main(capsys, *args: str) -> tuple[int, str]:
    """strikewatch.cli.main in process: (exit status, what it printed on stderr)."""
    status = cli.main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.err.strip()


def seeds_and(folder: Path, **more: str) -> Path:
    """A source folder of the seeds and their manifest, plus the given articles."""
    shutil.copytree(SEEDS, folder)
    for name, text in more.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def history(warehouse: Path) -> tuple[int, int]:
    """(meta.runs rows, meta.file_history rows)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("select count(*) from meta.runs").fetchone()[0]
        files = con.execute("select count(*) from meta.file_history").fetchone()[0]
    return runs, files


# --- 2. the extraction cache: data, validated on read; a bad entry is a miss -----------------


class _OpensAFile:
    """A pickle that, when loaded, creates a file: what an attacker would put in the cache."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def _edited_entry(good: bytes, edit) -> bytes:
    stored = json.loads(good)
    edit(stored["rows"])
    return json.dumps(stored).encode()


def _drop_a_column(rows: dict) -> None:
    del rows["extracted.articles"][0]["headline"]


def _offsets_as_text(rows: dict) -> None:
    rows["extracted.cancellations"][0]["char_start"] = "12"


def _false_evidence(rows: dict) -> None:
    rows["extracted.cancellations"][0]["evidence"] = "10,000 operations"


def _another_text(rows: dict) -> None:
    rows["extracted.documents"][0]["text"] = "Another article altogether."


def _a_table_missing(rows: dict) -> None:
    del rows["extracted.quotes"]


def _a_date_that_is_no_date(rows: dict) -> None:
    rows["extracted.articles"][0]["published_date"] = {"$date": "26 April"}


BAD_ENTRIES = {
    "hostile pickle": lambda good, marker: pickle.dumps(_OpensAFile(marker)),
    "pickle of a well-formed dict": lambda good, marker: pickle.dumps({"rows": {}}),
    "torn JSON": lambda good, marker: good[: len(good) // 2],
    "JSON of another shape": lambda good, marker: b'{"rows": [1, 2, 3]}',
    "deeply nested JSON": lambda good, marker: b"[" * 100_000 + b"]" * 100_000,
    "a column missing": lambda good, marker: _edited_entry(good, _drop_a_column),
    "a value of the wrong type": lambda good, marker: _edited_entry(good, _offsets_as_text),
    "evidence not at its offsets": lambda good, marker: _edited_entry(good, _false_evidence),
    "rows of another text": lambda good, marker: _edited_entry(good, _another_text),
    "a table missing": lambda good, marker: _edited_entry(good, _a_table_missing),
    "a date that is no date": lambda good, marker: _edited_entry(good, _a_date_that_is_no_date),
}


@pytest.fixture(scope="module")
def cached_seed(tmp_path_factory, shared_extraction_pool):
    """A source of one seed article, its cache entry and the rows it gives."""
    base = tmp_path_factory.mktemp("cache")
    source = base / "source"
    source.mkdir()
    name = SEED_FILES[4]
    shutil.copy(SEEDS / name, source / name)
    cache = ExtractionCache(base / "cache")
    first = process_batch(source, [name], Manifest(), "r1", cache)
    assert first.extracted == [name] and first.rows["extracted.cancellations"]
    (entry,) = cache.folder.iterdir()
    return source, name, entry.read_bytes(), first.rows


@pytest.mark.parametrize("case", list(BAD_ENTRIES))
def test_a_bad_cache_entry_is_a_miss_and_never_runs_code(cached_seed, tmp_path, case):
    source, name, good, rows = cached_seed
    cache = ExtractionCache(tmp_path / "cache")
    process_batch(source, [name], Manifest(), "r0", cache)
    (entry,) = cache.folder.iterdir()
    assert entry.read_bytes() == good
    assert process_batch(source, [name], Manifest(), "r1", cache).reused == [name]

    marker = tmp_path / "code_ran"
    bad = BAD_ENTRIES[case](good, marker)
    entry.write_bytes(bad)
    entry.with_suffix(".pkl").write_bytes(bad)  # where the pickle cache kept it
    again = process_batch(source, [name], Manifest(), "r2", cache)
    assert (again.extracted, again.reused) == ([name], [])
    assert again.rows == rows  # the same rows as a first extraction
    assert not again.rows["quarantine.rejected_files"]
    assert not marker.exists()
    # the miss stored a good entry over the bad one
    assert process_batch(source, [name], Manifest(), "r3", cache).reused == [name]


@pytest.mark.parametrize("kind", ["link to /dev/zero", "fifo", "oversized"])
def test_a_cache_entry_that_is_no_plain_file_is_a_miss(cached_seed, tmp_path, kind):
    source, name, good, _ = cached_seed
    cache = ExtractionCache(tmp_path / "cache")
    process_batch(source, [name], Manifest(), "r0", cache)
    (entry,) = cache.folder.iterdir()
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "link to /dev/zero":
        entry.symlink_to("/dev/zero")
    else:
        with open(entry, "wb") as handle:  # sparse: large by its size, small on disk
            handle.truncate(10 * 1024**3)
    again = process_batch(source, [name], Manifest(), "r1", cache)
    assert (again.extracted, again.reused) == ([name], [])


def test_the_cache_keeps_no_pickles(tmp_path, shared_extraction_pool):
    source = build_variant_corpus(tmp_path / "src", 2)
    files = sorted(path.name for path in source.iterdir())
    cache = ExtractionCache(tmp_path / "cache")
    (cache.folder / "0123456789abcdef.pkl").write_bytes(pickle.dumps({"rows": {}}))
    process_batch(source, files, Manifest(), "r1", cache)
    keys = {path.stem for path in cache.folder.glob("*.json")}
    assert len(keys) == 2
    assert cache.prune(keep=keys) == 1
    assert sorted(path.suffix for path in cache.folder.iterdir()) == [".json", ".json"]


# --- 6. a published warehouse that cannot be opened is an error, never "no history" ----------


@contextmanager
def held_open_for_writing(path: Path) -> Iterator[None]:
    """The warehouse open read-write in another process (the DuckDB CLI's default)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.readline()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        yield
    finally:
        holder.communicate("\n", timeout=30)


def test_a_warehouse_held_open_elsewhere_stops_the_run_and_keeps_its_history(
    seeds_warehouse_copy, tmp_path, capsys
):
    warehouse = seeds_warehouse_copy
    source = seeds_and(tmp_path / "articles", **{"one_more.txt": "Strike\n\nNurses walked out.\n"})
    before = history(warehouse)
    with held_open_for_writing(warehouse):
        # the builder, past the command's up-front check (as after a --wait), full and incremental
        summaries = [build(source, warehouse, force=True), build(source, warehouse)]
        status, line = run_main(
            capsys, "run", "--source", str(source), "--warehouse", str(warehouse)
        )
    for summary in summaries:
        assert not summary.published
        assert summary.refusal_status == 3
        assert "open for writing in another program" in summary.problem
    assert status == 3 and "open for writing in another program" in line
    assert history(warehouse) == before
    assert not [path for path in tmp_path.iterdir() if ".build" in path.name]

    summary = build(source, warehouse)  # closed again: the run goes ahead with its history
    assert summary.published, summary.problem
    runs, files = history(warehouse)
    assert runs == before[0] + 1 and files == before[1] + len(SEED_FILES) + 1


def test_open_previous_raises_for_a_warehouse_it_cannot_open(seeds_warehouse_copy, tmp_path):
    with duckdb.connect() as con:
        assert open_previous(con, tmp_path / "absent.duckdb") is False
        held_elsewhere = held_open_for_writing(seeds_warehouse_copy)
        with held_elsewhere, pytest.raises(WarehouseUnavailable) as held:
            open_previous(con, seeds_warehouse_copy)
        assert held.value.status == 3
        damaged = tmp_path / "damaged.duckdb"
        data = bytearray(seeds_warehouse_copy.read_bytes())
        data[4096:16384] = b"\xff" * 12288
        damaged.write_bytes(bytes(data))
        with pytest.raises(WarehouseUnavailable) as broken:
            open_previous(con, damaged)
        assert broken.value.status == 2 and "damaged" in str(broken.value)
        assert open_previous(con, seeds_warehouse_copy) is True


# --- 7. the shrink guard ----------------------------------------------------------------------


def article_files(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            row[0] for row in con.execute("select source_file from extracted.articles").fetchall()
        }


def test_a_run_that_would_publish_no_articles_publishes_nothing(seeds_warehouse_copy, tmp_path):
    warehouse = seeds_warehouse_copy
    before = history(warehouse)
    empty = tmp_path / "failed_mount"
    empty.mkdir()
    summary = build(empty, warehouse)
    assert not summary.published and summary.refusal_status == 2
    assert summary.problem.startswith("this run would publish no articles (the published")
    assert "--allow-shrink" in summary.problem
    with pytest.raises(cli.Refusal) as refused:  # what `strikewatch run` makes of it
        cli._print_summary(summary, warehouse)
    assert refused.value.status == 2
    assert history(warehouse) == before and len(article_files(warehouse)) == len(SEED_FILES)
    assert not [path for path in tmp_path.iterdir() if ".build" in path.name]

    summary = build(empty, warehouse, allow_shrink=True)
    assert summary.published, summary.problem
    assert article_files(warehouse) == set()


def test_a_run_that_would_drop_more_than_half_publishes_nothing(
    seeds_warehouse_copy, tmp_path, monkeypatch
):
    warehouse = seeds_warehouse_copy
    source = tmp_path / "articles"
    source.mkdir()
    for name in SEED_FILES[:2]:  # 3 of the 5 published articles would go
        shutil.copy(SEEDS / name, source / name)
    summary = build(source, warehouse)
    assert not summary.published
    assert "would drop 3 of the 5 published articles (60%, more than the 50% allowed" in (
        summary.problem
    )
    assert len(article_files(warehouse)) == len(SEED_FILES)

    monkeypatch.setenv("STRIKEWATCH_MAX_DROPPED_SHARE", "0.6")
    summary = build(source, warehouse)
    assert summary.published, summary.problem
    assert article_files(warehouse) == set(SEED_FILES[:2])


def test_moved_and_edited_files_are_not_drops(seeds_warehouse_copy, tmp_path):
    warehouse = seeds_warehouse_copy
    source = tmp_path / "articles"
    (source / "moved").mkdir(parents=True)
    for name in SEED_FILES[:3]:
        shutil.copy(SEEDS / name, source / "moved" / name)
    for name in SEED_FILES[3:]:
        text = (SEEDS / name).read_text(encoding="utf-8")
        (source / name).write_text(text + "\nCorrection appended.\n", encoding="utf-8")
    summary = build(source, warehouse)
    assert summary.published, summary.problem
    assert len(article_files(warehouse)) == len(SEED_FILES)


@pytest.mark.parametrize("value", ["abc", "-0.1", "1.5", "nan"])
def test_a_bad_dropped_share_setting_is_refused_before_any_work(
    tmp_path, capsys, monkeypatch, value
):
    monkeypatch.setenv("STRIKEWATCH_MAX_DROPPED_SHARE", value)
    target = tmp_path / "w.duckdb"
    status, line = run_main(capsys, "run", "--source", str(SEEDS), "--warehouse", str(target))
    assert status == 2
    assert line == (
        "strikewatch: STRIKEWATCH_MAX_DROPPED_SHARE must be a share between 0 and 1 (0.5 is "
        f"half), not {value!r}"
    )
    assert os.listdir(tmp_path) == []


def test_allow_shrink_is_an_option_of_run():
    args = cli.build_parser().parse_args(["run", "--allow-shrink"])
    assert args.allow_shrink is True
    assert cli.build_parser().parse_args(["run"]).allow_shrink is False


# --- 8. duplicates: the file already in the warehouse keeps its identity ---------------------


def test_find_duplicates_keeps_the_published_file():
    def doc(name: str, content_id: str) -> DecodedDocument:
        return DecodedDocument(name, content_id, 1, "utf-8", "x")

    docs = [doc("a_copy.txt", "h1"), doc("m_original.txt", "h1"), doc("z_copy.txt", "h1")]
    assert find_duplicates(docs, {"m_original.txt": "h1"}) == {
        "a_copy.txt": "m_original.txt",
        "z_copy.txt": "m_original.txt",
    }
    # a published file whose content changed is no longer the original of these bytes
    assert find_duplicates(docs, {"m_original.txt": "h0"}) == {
        "m_original.txt": "a_copy.txt",
        "z_copy.txt": "a_copy.txt",
    }


@pytest.mark.parametrize("force", [False, True], ids=["incremental", "full"])
def test_a_copy_that_sorts_first_is_the_duplicate(
    seeds_warehouse, seeds_warehouse_copy, tmp_path, force
):
    original = SEED_FILES[3]
    copy = "000_0_copy_of_an_article.txt"
    assert sorted([copy, *SEED_FILES])[0] == copy
    source = seeds_and(tmp_path / "articles")
    shutil.copy(SEEDS / original, source / copy)
    summary = build(source, seeds_warehouse_copy, force=force)
    assert summary.published, summary.problem
    assert {"source_file": copy, "reason": f"same content as {original}"} in summary.rejected_files
    facts = table_contents(seeds_warehouse_copy, ("extracted",), [original])
    assert facts == table_contents(seeds_warehouse, ("extracted",), [original])
    assert table_contents(seeds_warehouse_copy, ("extracted",), [copy]) == {
        relation: [] for relation in facts
    }
    with duckdb.connect(str(seeds_warehouse_copy), read_only=True) as con:
        change = con.execute(
            "select change from meta.file_history where source_file = ? "
            "order by run_id desc limit 1",
            [original],
        ).fetchone()[0]
    assert change == "unchanged"


# --- 12. figure_conflicts and sibling medians: linear in the number of mentions --------------

MENTIONS_MODEL = ROOT / "sql" / "models" / "intermediate" / "int_figure_mentions.sql"


def test_the_linear_sibling_median_is_the_median_of_the_other_mentions():
    """The model's own CTEs, run over random measures, against the quadratic definition."""
    model = MENTIONS_MODEL.read_text(encoding="utf-8")
    ctes = model[model.index("ranked as (") : model.index("final as (")].rstrip().rstrip(",")
    rng = random.Random(14)
    mentions = [
        (f"measure {m}", f"fact {m}-{j}", float(rng.choice([1, 2, 2, 3, 5, 8, 13, 40, 41.5])))
        for m in range(300)
        for j in range(rng.randint(1, 12))
    ]
    with duckdb.connect() as con:
        con.execute("create table keyed (measure_key varchar, fact_id varchar, value double)")
        con.executemany("insert into keyed values (?, ?, ?)", mentions)
        linear = con.execute(
            f"with {ctes} select fact_id, sibling_median from sibling_medians"
        ).fetchall()
        quadratic = con.execute(
            "select mention.fact_id, median(sibling.value) from keyed as mention "
            "join keyed as sibling on mention.measure_key = sibling.measure_key "
            "and mention.fact_id <> sibling.fact_id group by mention.fact_id"
        ).fetchall()
    per_measure = Counter(measure for measure, _, _ in mentions)
    assert len(linear) == sum(n for n in per_measure.values() if n > 1)  # the others: none
    assert dict(linear) == dict(quadratic)


def test_conflicts_pair_each_value_with_the_best_estimate(tmp_path):
    source = tmp_path / "articles"
    source.mkdir()
    values = [1000 + 25 * index for index in range(40)]
    for value in values:
        (source / f"report_{value}.txt").write_text(
            "Strike news\n\nTuesday 14 March 2023 09:10 GMT\n\n"
            f"Hospitals in England cancelled {value:,} operations on Monday, the trust said.\n",
            encoding="utf-8",
        )
    warehouse = tmp_path / "w.duckdb"
    summary = build(source, warehouse)
    assert summary.published, summary.problem
    with duckdb.connect(str(warehouse), read_only=True) as con:
        conflicts = con.execute(
            "select value_a, value_b, best_value from marts.figure_conflicts"
        ).fetchall()
        (best,) = {row[2] for row in conflicts}
        mentions = con.execute(
            "select fact_id, sibling_median from intermediate.int_figure_mentions"
        ).fetchall()
        quadratic = con.execute(
            "select m.fact_id, median(s.value) from intermediate.int_figure_mentions m "
            "join intermediate.int_figure_mentions s on m.measure_key = s.measure_key "
            "and m.fact_id <> s.fact_id group by m.fact_id"
        ).fetchall()
    assert len(mentions) == len(values) and dict(mentions) == dict(quadratic)
    # 39 rows, each value against the best estimate (every pair of values would be 780)
    assert len(conflicts) == len(values) - 1
    assert all(a < b and best in (a, b) for a, b, _ in conflicts)
    others = sorted(a if b == best else b for a, b, _ in conflicts)
    assert others == sorted(float(value) for value in values if value != best)

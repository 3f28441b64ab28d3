"""The extraction stage at scale: costs per run stay per run, and the pool is fed as it works."""

from __future__ import annotations

from pathlib import Path

import strikewatch.build as build_module
from strikewatch.budget import BudgetedPool
from strikewatch.build import batch_manifest
from strikewatch.extract_batch import Batch, process_batch, read_batch, write_batch
from strikewatch.extraction_cache import ExtractionCache
from strikewatch.ingest import Manifest, decode_document
from strikewatch.manifest import load_manifest, read_manifest_lines


def _source_with_manifest(folder: Path) -> Path:
    for name in ("2023/a.txt", "2023/b.txt", "2024/c.txt", "2024/d.txt", "2024/b.txt"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"Strike news\n\n{name}: porters walked out on Monday.\n")
    manifest = folder / "sources.csv"
    manifest.write_text(
        "file,publisher,published_date\n"
        "2023/a.txt,Morning Courier,2023-03-01\n"
        "c.txt,Evening Ledger,2024-05-02\n"  # base name, unique in the source
        "b.txt,Nobody,2024-01-01\n"  # base name of two files: ignored
        "2024/d.txt,Harbour Times,not a date\n"
        "2023/a.txt,Listed Twice,2023-03-02\n"
    )
    return manifest


def test_batches_get_the_entries_a_per_batch_read_gives_from_one_read_per_run(
    tmp_path, monkeypatch
):
    manifest = _source_with_manifest(tmp_path)
    files = ["2023/a.txt", "2023/b.txt", "2024/b.txt", "2024/c.txt", "2024/d.txt"]
    reads = []

    def counted(*args, **kwargs):
        reads.append(args)
        return read_manifest_lines(*args, **kwargs)

    monkeypatch.setattr(build_module, "read_manifest_lines", counted)
    for size in (1, 2, 5):
        for start in range(0, len(files), size):
            batch = files[start : start + size]
            per_batch = load_manifest(manifest, set(batch), source_root=tmp_path).entries
            assert batch_manifest(manifest, batch, tmp_path, f"run-{size}").entries == per_batch
    assert len(reads) == 3  # once per run, not once per batch
    whole = batch_manifest(manifest, files, tmp_path, "run-5").entries
    assert {name: entry.publisher for name, entry in whole.items()} == {
        "2023/a.txt": "Morning Courier",
        "2024/c.txt": "Evening Ledger",
        "2024/d.txt": "Harbour Times",
    }
    assert whole["2024/d.txt"].published_date is None


def test_a_changed_manifest_is_read_again_by_the_next_run(tmp_path):
    manifest = _source_with_manifest(tmp_path)
    assert batch_manifest(manifest, ["2023/a.txt"], tmp_path, "run-1").entries
    manifest.write_text("file,publisher\n2023/b.txt,Valley Post\n")
    assert batch_manifest(manifest, ["2023/a.txt"], tmp_path, "run-2").entries == {}
    assert batch_manifest(manifest, ["2023/b.txt"], tmp_path, "run-2").entries


def test_the_pool_takes_items_as_workers_come_free_not_all_at_once():
    taken = []

    def items():
        for number in range(1, 9):
            taken.append(number)
            yield float(number * number)

    with BudgetedPool("math:sqrt", workers=1, seconds=5.0) as pool:
        results = pool.map(items())
        first = next(results)
        assert first == (1.0, 1.0)
        assert len(taken) < 8  # the rest are read while the worker extracts
        rest = list(results)
    assert [result for _, result in rest] == [float(n) for n in range(2, 9)]
    assert taken == list(range(1, 9))


def test_a_launched_pool_starts_its_workers_before_the_first_item():
    with BudgetedPool("math:sqrt", workers=2, seconds=5.0) as pool:
        pool.launch()
        assert len(pool.workers) == 2
        assert all(worker.process.poll() is None for worker in pool.workers)
        assert [result for _, result in pool.map([4.0, 9.0, 16.0])] == [2.0, 3.0, 4.0]
        assert len(pool.workers) == 2  # the launched workers did the work


def test_rows_encoded_once_store_the_same_batch_and_cache_entry_as_rows_encoded_twice(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for number, line in enumerate(
        (
            "Nurses at three hospitals walked out on 4 March 2024, the union said.",
            '"We had no choice," said a spokesperson for the Royal College of Nursing.',
        )
    ):
        (source / f"{number}.txt").write_text(f"Strike news\n\nPublished 5 March 2024\n\n{line}\n")
    files = sorted(path.name for path in source.iterdir())
    cache = ExtractionCache(tmp_path / "cache")
    batch = process_batch(source, files, Manifest(), "run-1", cache)
    assert batch.extracted == files and batch.encoded
    plain = Batch(batch.rows, batch.extracted, batch.reused, batch.changed_during_run)
    encoded_once = write_batch(batch, tmp_path / "once.jsonl").read_bytes()
    assert encoded_once == write_batch(plain, tmp_path / "twice.jsonl").read_bytes()
    assert read_batch(tmp_path / "once.jsonl").rows == batch.rows
    for name in files:
        doc = decode_document((source / name).read_bytes(), name)
        doc_rows = cache.get(doc, None)
        assert doc_rows is not None and doc_rows["extracted.documents"][0]["text"] == doc.text
        entry = tmp_path / "cache" / f"{ExtractionCache.key(doc.document_id, None)}.json"
        rewritten = tmp_path / "again"
        ExtractionCache(rewritten).put(doc, None, doc_rows)
        assert entry.read_bytes() == (rewritten / entry.name).read_bytes()

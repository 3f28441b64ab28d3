"""Guards (issue 14, part 1): read nothing outside the source, overwrite nothing but the warehouse,
answer every bad input plainly, leave no server behind.

Most cases run in process, through the functions or `strikewatch.cli.main`; subprocesses are
used where the process is the point: the console a user sees, signals, privileges, exit codes.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from builds import run_command_with_builder
from hostile_corpus import build_variant_corpus
from prefect_servers import alive, migrated_prefect_home
from security_corpus import (
    AMBIGUOUS_NAME,
    AMBIGUOUS_PUBLISHER,
    ANSI_NAME,
    CANARY,
    FAKE_SUMMARY_NAME,
    FORMULA_NAME,
    OUTSIDE_LINKS,
    build_security_corpus,
)
from unprivileged import reachable_tmp, run_unprivileged

from strikewatch import cli, ingest
from strikewatch.console import printable
from strikewatch.export import export_tables
from strikewatch.fingerprint import input_fingerprint
from strikewatch.ingest import discover_files, read_documents
from strikewatch.manifest import MAX_MANIFEST_BYTES, MAX_MANIFEST_WARNINGS, load_manifest
from strikewatch.warehouse import lock_path_for, run_lock, warehouse_problem

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RUNNING_AS_ROOT = os.geteuid() == 0  # CI runs as root


@contextmanager
def fails_instead_of_hanging(seconds: int = 20) -> Iterator[None]:
    """Turn a hang (a blocking open of a pipe, say) into a test failure."""

    def hung(*_: object) -> None:
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def corpus(tmp_path):
    built = build_security_corpus(tmp_path)
    yield built
    built.close()


def one_line(text: str) -> str:
    lines = text.strip("\n").split("\n")
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# --- 1. links out of the source, special files, sizes -------------------------------------


def test_links_out_of_the_source_are_quarantined_and_never_read(corpus):
    with fails_instead_of_hanging():
        discovery = discover_files(corpus.source, corpus.source / "sources.csv")
        docs, rejections = read_documents(discovery)
    kinds = {rejection.source_file: rejection.kind for rejection in rejections}
    for name, kind in {**OUTSIDE_LINKS, **corpus.special}.items():
        assert kinds.get(name) == kind, (name, kinds.get(name))
    reasons = {rejection.source_file: rejection.reason for rejection in rejections}
    assert reasons["etc_passwd.txt"] == (
        "symbolic link to /etc/passwd leads outside the source folder: not read"
    )
    assert "20 GB" not in reasons["sparse_20gb.txt"]  # said in bytes, with the limit
    assert reasons["sparse_20gb.txt"].startswith("too large to be an article: 21,474,836,480")
    texts = {doc.source_file: doc.text for doc in docs}
    assert not any(CANARY in text or "root:" in text for text in texts.values())
    assert "Porters walk out" in texts["inside_link.txt"]  # a link inside the folder is followed


def test_a_folder_swapped_for_a_link_after_discovery_is_not_followed(tmp_path, monkeypatch):
    source, outside = tmp_path / "source", tmp_path / "outside"
    (source / "news").mkdir(parents=True)
    (source / "news" / "story.txt").write_text("Strike news\n\nNurses walked out.\n")
    (outside / "news").mkdir(parents=True)
    (outside / "news" / "story.txt").write_text(f"{CANARY} private words\n")
    discovery = discover_files(source, None)
    shutil.rmtree(source / "news")
    os.symlink(outside / "news", source / "news")

    _, (rejection,) = read_documents(discovery)
    assert (rejection.source_file, rejection.kind) == ("news/story.txt", "outside_link")

    # and when the swap lands between the check and the open, the open refuses the link
    monkeypatch.setattr(ingest.os.path, "realpath", os.path.abspath)
    _, (rejection,) = read_documents(discovery)
    assert rejection.source_file == "news/story.txt"
    assert rejection.kind in ("bad_link", "unreadable")
    assert CANARY not in rejection.reason


# --- 11. fingerprint and manifest: stat and size first, never block -----------------------


@pytest.mark.parametrize("manifest_kind", ["fifo", "link_to_dev_zero", "sparse"])
def test_fingerprint_and_manifest_never_block_or_read_without_bound(tmp_path, manifest_kind):
    (tmp_path / "a.txt").write_text("Strike news\n\nNurses walked out.\n")
    with open(tmp_path / "big.txt", "wb") as handle:
        handle.truncate(20 * 1024**3)
    manifest = tmp_path / "sources.csv"
    if manifest_kind == "fifo":
        os.mkfifo(manifest)
    elif manifest_kind == "link_to_dev_zero":
        os.symlink("/dev/zero", manifest)
    else:
        with open(manifest, "wb") as handle:
            handle.write(b"file,publisher\na.txt,Daily Bugle\n")
            handle.truncate(MAX_MANIFEST_BYTES + 1)
    with fails_instead_of_hanging():
        discovery = discover_files(tmp_path, manifest)
        fingerprint = input_fingerprint(discovery, manifest)
        loaded = load_manifest(manifest, {"a.txt", "big.txt"})
    assert len(fingerprint) == 64
    assert loaded.entries == {}
    (warning,) = loaded.warnings
    expected = {
        "fifo": "not a regular file (a pipe, socket or device), not read",
        "link_to_dev_zero": "symbolic link to /dev/zero leads outside the source folder",
        "sparse": f"too large to be an article: {MAX_MANIFEST_BYTES + 1:,} bytes",
    }[manifest_kind]
    assert warning.startswith(f"manifest sources.csv ignored: {expected}"), warning


# --- 10. manifest: strict, line-numbered, matched over the whole source -------------------


def test_manifest_base_names_match_only_when_unique_in_the_whole_source(tmp_path):
    for name in ("a/report.txt", "b/report.txt", "c/only.txt", "c/d/other.txt", "e/linked.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Strike news\n\n{name} says nurses walked out.\n")
    os.symlink("/etc/passwd", tmp_path / "linked.txt")  # quarantined, so not a source file
    manifest = tmp_path / "sources.csv"
    manifest.write_text(
        "file,publisher,file\n"
        "report.txt,Both Or Neither\n"
        "only.txt,Only One\n"
        "b/report.txt,Named By Path\n"
        "linked.txt,The One Source File Of That Name\n"
    )
    everything = {c.source_file for c in discover_files(tmp_path, manifest).candidates}
    assert everything == {
        "a/report.txt", "b/report.txt", "c/only.txt", "c/d/other.txt", "e/linked.txt"
    }  # fmt: skip
    whole = load_manifest(manifest, everything)
    assert {name: entry.publisher for name, entry in whole.entries.items()} == {
        "c/only.txt": "Only One",
        "b/report.txt": "Named By Path",
        "e/linked.txt": "The One Source File Of That Name",
    }
    assert whole.warnings == [
        "manifest sources.csv line 1: column 'file' appears 2 times (columns 1, 3); "
        "only the first is used",
        "manifest sources.csv line 2: 'report.txt' names 2 source files (a/report.txt, "
        "b/report.txt); give its path in the source folder; row ignored",
    ]
    ordered = sorted(everything)
    for size in (1, 2, 3, 4):
        merged = {}
        for start in range(0, len(ordered), size):
            batch = set(ordered[start : start + size])
            merged |= load_manifest(manifest, batch, source_root=tmp_path).entries
        assert merged == whole.entries, f"batches of {size}"


def test_manifest_problems_are_warnings_with_line_numbers(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    rows = ["file,publisher", "a.txt,Pulse"] + [f'"ghost{i}.txt,x' for i in range(150)]
    (tmp_path / "sources.csv").write_text("\n".join(rows) + "\n")
    result = load_manifest(tmp_path / "sources.csv", {"a.txt"})
    assert result.entries["a.txt"].publisher == "Pulse"
    assert len(result.warnings) == MAX_MANIFEST_WARNINGS + 1
    assert result.warnings[0].startswith("manifest sources.csv line 3: unterminated quote")
    assert result.warnings[-1] == "manifest sources.csv: 50 more problems not listed"


# --- 3. CSV export neutralises formulas ----------------------------------------------------


def test_csv_export_writes_formula_cells_as_text(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema extracted; create schema marts")
        con.execute("create table extracted.things (name varchar, amount integer, tags varchar[])")
        con.execute(
            "insert into extracted.things values "
            "('=HYPERLINK(\"http://x\")', -3, ['=x']), ('+1', 1, []), ('-2+3', 2, []),"
            "('@SUM(A1)', 3, []), (e'\\tcmd', 4, []), (e'\\rcmd', 5, []), ('a = b', -6, [])"
        )
        con.execute("create view marts.things_view as select name from extracted.things")
    export_tables(warehouse, tmp_path / "out", "csv")
    for path in (tmp_path / "out/extracted/things.csv", tmp_path / "out/marts/things_view.csv"):
        rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode(), newline="")))
        assert [row["name"] for row in rows] == [
            '\'=HYPERLINK("http://x")',
            "'+1",
            "'-2+3",
            "'@SUM(A1)",
            "'\tcmd",
            "'\rcmd",
            "a = b",
        ]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out/extracted/things.csv").read_text())))
    assert [row["amount"] for row in rows][0] == "-3"  # numbers stay numbers


# --- 4. names in console output ------------------------------------------------------------


def test_printable_escapes_what_could_fake_or_repaint_output():
    assert printable(FAKE_SUMMARY_NAME) == "evil\\nWarning: none. All 42 files loaded cleanly.txt"
    assert printable(ANSI_NAME) == "\\e[2J\\e[Hwiped.txt"
    assert printable("a\rb\u202ec\u2028d\x85e\udcff") == "a\\rb\\u202ec\\u2028d\\x85e\\xff"
    assert printable("Grève à l'hôpital.txt") == "Grève à l'hôpital.txt"


# --- end to end: the security corpus through `strikewatch run` ----------------------------


def test_a_run_over_the_security_corpus(corpus, tmp_path):
    """The command in process, the builder standing in for the flow: what is read, printed,
    loaded and exported is the builder's and the command's work, not Prefect's."""
    warehouse = tmp_path / "w.duckdb"
    # batches that end with a/same_name.txt, so that b/same_name.txt starts the next one
    discovery = discover_files(corpus.source, corpus.source / "sources.csv")
    names = [candidate.source_file for candidate in discovery.candidates]
    batch_size = names.index(f"a/{AMBIGUOUS_NAME}") + 1
    with fails_instead_of_hanging(300):
        result = run_command_with_builder(
            "run", "--source", str(corpus.source), "--warehouse", str(warehouse),
            "--batch-size", str(batch_size),
        )  # fmt: skip
    assert result.status == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr

    # 4: every summary line is one of the summary's own; hostile names show escaped
    lines = result.stdout.splitlines()
    assert not any(line.startswith("Warning: none") for line in lines)
    assert "\x1b" not in result.stdout + result.stderr
    assert f"  quarantined file {printable(FAKE_SUMMARY_NAME)}: empty file (0 bytes)" in lines
    assert f"  quarantined file {printable(ANSI_NAME)}: empty file (0 bytes)" in lines

    with duckdb.connect(str(warehouse), read_only=True) as con:
        texts = [row[0] for row in con.execute("select text from extracted.documents").fetchall()]
        rejected = dict(
            con.execute("select source_file, reason from quarantine.rejected_files").fetchall()
        )
        publishers = dict(
            con.execute("select source_file, publisher from extracted.articles").fetchall()
        )
    # 1: nothing from outside the folder reached the warehouse; each link is in quarantine
    assert not any(CANARY in text or "root:" in text for text in texts)
    assert set(OUTSIDE_LINKS) | set(corpus.special) <= set(rejected)
    # 10: a base name shared by two files applies to neither, whatever the batch size
    assert publishers["a/" + AMBIGUOUS_NAME] != AMBIGUOUS_PUBLISHER
    assert publishers["b/" + AMBIGUOUS_NAME] != AMBIGUOUS_PUBLISHER
    assert sum(f"'{AMBIGUOUS_NAME}' names 2 source files" in line for line in lines) == 1

    # 3: the exported CSV opens as text in a spreadsheet
    export_tables(warehouse, tmp_path / "csv", "csv")
    articles = list(csv.DictReader((tmp_path / "csv/extracted/articles.csv").open(newline="")))
    by_file = {row["source_file"]: row for row in articles}
    assert f"'{FORMULA_NAME}" in by_file
    assert by_file[f"'{FORMULA_NAME}"]["publisher"].startswith("'=HYPERLINK(")
    assert by_file["inside_link.txt"]["publisher"] == "'@SUM(1+1)"


# --- 5. the warehouse path ------------------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_main(capsys, *args: str) -> tuple[int, str]:
    """strikewatch.cli.main in process: (exit status, the one line it printed on stderr)."""
    try:
        status = cli.main(list(args))
    except SystemExit as exc:  # argparse
        status = exc.code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, one_line(captured.err)


def damaged_duckdb(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema meta; create table meta.runs as select range from range(5000)")
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    return path


def other_layout_duckdb(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create table invoices (id integer, total decimal(10, 2))")
        con.execute("insert into invoices values (1, 99.50)")
    return path


WAREHOUSE_REFUSALS = {
    "document": (lambda p: p.write_bytes(b"PK\x03\x04 a thesis.docx"), "not DuckDB"),
    "empty file": (lambda p: p.write_bytes(b""), "not DuckDB"),
    "folder": (lambda p: p.mkdir(), "is a folder, not a warehouse file"),
    "damaged DuckDB": (damaged_duckdb, "damaged or unreadable DuckDB file"),
    "DuckDB of another layout": (other_layout_duckdb, "not a strikewatch warehouse"),
}


@pytest.mark.parametrize("case", list(WAREHOUSE_REFUSALS))
def test_a_run_refuses_a_warehouse_path_that_is_not_a_warehouse(tmp_path, capsys, case):
    make, words = WAREHOUSE_REFUSALS[case]
    target = tmp_path / "thesis.docx"
    make(target)
    before = sorted(os.listdir(tmp_path))
    before_digest = digest(target) if target.is_file() else None
    status, line = run_main(capsys, "run", "--source", str(SEEDS), "--warehouse", str(target))
    assert status == 2 and words in line, line
    assert sorted(os.listdir(tmp_path)) == before  # no lock, no build file: nothing started
    if before_digest:
        assert digest(target) == before_digest


def test_a_device_node_is_refused_and_stays_a_device(tmp_path, capsys):
    device = Path("/dev/null")
    if RUNNING_AS_ROOT:  # a device node of the test's own, so that nothing shared is at stake
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    status, line = run_main(capsys, "run", "--source", str(SEEDS), "--warehouse", str(device))
    assert status == 2 and "not a regular file" in line
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_new_paths_and_strikewatch_warehouses_are_accepted(tmp_path, seeds_warehouse):
    assert warehouse_problem(seeds_warehouse) is None
    new = tmp_path / "not" / "yet" / "there.duckdb"
    assert warehouse_problem(new) is None
    assert not (tmp_path / "not").exists()  # checking changed nothing
    assert os.listdir(tmp_path) == []


def test_a_warehouse_held_open_for_writing_elsewhere_is_exit_3(tmp_path, capsys):
    target = other_layout_duckdb(tmp_path / "held.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.readline()", str(target)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open"
        status, line = run_main(capsys, "run", "--source", str(SEEDS), "--warehouse", str(target))
    finally:
        holder.communicate("\n", timeout=30)
    assert status == 3 and "open for writing in another program" in line


# --- plain answers ---------------------------------------------------------------------------


def test_the_lock_path_being_a_folder_is_a_plain_answer(tmp_path, capsys):
    target = tmp_path / "w.duckdb"
    lock_path_for(target).mkdir()
    status, line = run_main(capsys, "run", "--source", str(SEEDS), "--warehouse", str(target))
    assert status == 2 and line.endswith("is a folder; remove it and run again")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--batch-size", "0"], "argument --batch-size: must be a whole number of at least 1"),
        (["--workers", "-1"], "argument --workers: must be a whole number of at least 1"),
        (["--dask-workers", "many"], "argument --dask-workers: must be a whole number"),
    ],
)
def test_bad_numbers_are_one_line_and_exit_2(capsys, args, words):
    status, line = run_main(capsys, "run", *args)
    assert status == 2 and words in line


@pytest.mark.parametrize("value", ["abc", "0", "-1"])
def test_a_bad_max_article_chars_is_refused_before_any_work(tmp_path, capsys, monkeypatch, value):
    monkeypatch.setenv("STRIKEWATCH_MAX_ARTICLE_CHARS", value)
    target = tmp_path / "w.duckdb"
    status, line = run_main(capsys, "run", "--source", str(SEEDS), "--warehouse", str(target))
    assert status == 2
    assert line == (
        "strikewatch: STRIKEWATCH_MAX_ARTICLE_CHARS must be a whole number of at least 1, "
        f"not '{value}'"
    )
    assert os.listdir(tmp_path) == []


def test_a_file_given_as_source_is_called_a_file(tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text("Strike news\n")
    status, line = run_main(capsys, "run", "--source", str(article))
    assert status == 2 and f"source {article} is a file, not a folder" in line


def test_a_missing_manifest_is_exit_2(tmp_path, capsys):
    missing = tmp_path / "sources.csv"
    status, line = run_main(
        capsys, "run", "--source", str(SEEDS), "--warehouse", str(tmp_path / "w.duckdb"),
        "--manifest", str(missing),
    )  # fmt: skip
    assert status == 2 and line == f"strikewatch: manifest {missing} does not exist"


@pytest.mark.parametrize(
    "command", [["report"], ["docs"], ["export", "--csv", "out"], ["eval", "--gold", "GOLD"]]
)
def test_reading_commands_without_a_warehouse_are_one_line(tmp_path, capsys, command):
    command = [str(ROOT / "tests/fixtures/gold_seeds.jsonl") if a == "GOLD" else a for a in command]
    missing = tmp_path / "none.duckdb"
    status, line = run_main(capsys, *command, "--warehouse", str(missing))
    assert status == 2
    assert line == f"strikewatch: no warehouse at {missing}: run `strikewatch run` first"


def test_reading_commands_refuse_another_layout(tmp_path, capsys):
    other = other_layout_duckdb(tmp_path / "other.duckdb")
    status, line = run_main(capsys, "report", "--warehouse", str(other))
    assert status == 2 and "not a strikewatch warehouse" in line


def test_a_missing_gold_file_is_one_line(tmp_path, capsys, seeds_warehouse):
    gold = tmp_path / "gold.jsonl"
    status, line = run_main(
        capsys, "eval", "--gold", str(gold), "--warehouse", str(seeds_warehouse)
    )
    assert status == 2 and line == f"strikewatch: gold file {gold} does not exist"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--cron", "61 * * * *"], "cron expression '61 * * * *' is not valid"),
        (["--cron", "every day"], "cron expression 'every day' is not valid"),
        (["--timezone", "Europe/Lodnon"], "time zone 'Europe/Lodnon' is not known"),
    ],
)
def test_serve_with_a_bad_schedule_is_one_line(tmp_path, capsys, args, words):
    status, line = run_main(
        capsys, "serve", "--source", str(SEEDS), "--warehouse", str(tmp_path / "w.duckdb"), *args
    )
    assert status == 2 and words in line


def test_unexpected_failures_are_one_line_and_debug_shows_the_traceback(
    tmp_path, capsys, monkeypatch, seeds_warehouse
):
    def full_disk(*_: object) -> list[Path]:
        raise duckdb.IOException('IO Error: Could not write file "x": No space left on device')

    monkeypatch.setattr("strikewatch.export.export_tables", full_disk)
    args = ["export", "--warehouse", str(seeds_warehouse), "--csv", str(tmp_path)]
    status, line = run_main(capsys, *args)
    assert (status, line) == (
        1,
        "strikewatch: export failed: the disk is full (no space left on device)",
    )

    def broken(*_: object) -> list[Path]:
        raise KeyError("a column")

    monkeypatch.setattr("strikewatch.export.export_tables", broken)
    status, line = run_main(capsys, *args)
    assert status == 1
    assert line == "strikewatch: export failed: KeyError: 'a column' (--debug shows the traceback)"
    with pytest.raises(KeyError):
        cli.main(["--debug", *args])
    with pytest.raises(KeyError):
        cli.main([*args, "--debug"])


# --- as an unprivileged user: read-only folders, an unwritable Prefect home ---------------


CLI_IMPORTS = "import strikewatch.cli"
CLI_AND_PREFECT_IMPORTS = "import prefect.settings, strikewatch.cli"
CLI_MAIN = "sys.exit(strikewatch.cli.main(sys.argv[1:]))"


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    with reachable_tmp() as folder:
        yield folder


def test_a_read_only_warehouse_folder_is_one_line(shared_tmp):
    folder = shared_tmp / "warehouse"
    folder.mkdir()
    folder.chmod(0o555)
    result = run_unprivileged(
        CLI_IMPORTS,
        CLI_MAIN,
        ["run", "--source", str(SEEDS), "--warehouse", str(folder / "w.duckdb")],
    )
    assert result.returncode == 2, result.stderr
    assert one_line(result.stderr) == (
        f"strikewatch: cannot write in warehouse folder {folder}: permission denied"
    )
    assert os.listdir(folder) == []


def test_an_unwritable_prefect_home_is_detected_up_front(shared_tmp):
    home = shared_tmp / "prefect-home"
    home.mkdir()
    home.chmod(0o555)
    writable = shared_tmp / "warehouse"
    writable.mkdir()
    writable.chmod(0o777)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["STRIKEWATCH_PREFECT_HOME"] = str(home)
    started = time.monotonic()
    result = run_unprivileged(
        CLI_AND_PREFECT_IMPORTS,
        CLI_MAIN,
        ["run", "--source", str(SEEDS), "--warehouse", str(writable / "w.duckdb")],
        env=env,
    )
    assert result.returncode == 2, result.stderr
    assert one_line(result.stderr).startswith(f"strikewatch: Prefect home {home} cannot be written")
    # not a speed goal: Prefect alone spins for its whole 120 s start-up timeout before it fails
    assert time.monotonic() - started < 100


# --- disk full (needs root: a small tmpfs) ---------------------------------------------------


@pytest.fixture
def small_disk(tmp_path, seeds_warehouse) -> Iterator[Path]:
    """A tmpfs with room for the seeds warehouse and half a build more, whatever its size."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    size = f"size={seeds_warehouse.stat().st_size * 3 // 2 // 1024}k"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", size, "tmpfs", str(mount_point)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (CAP_SYS_ADMIN); CI runs as root")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.usefixtures("prefect_server")
def test_a_full_disk_is_one_line_and_exit_1(small_disk, seeds_warehouse):
    target = small_disk / "w.duckdb"
    shutil.copy(seeds_warehouse, target)
    before = digest(target)
    result = subprocess.run(
        [sys.executable, "-m", "strikewatch.cli", "run", "--source", str(SEEDS),
         "--warehouse", str(target), "--force", "--quiet"],
        capture_output=True, text=True, timeout=300, cwd="/",
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert one_line(result.stderr) == (
        "strikewatch: nothing published: the disk is full (no space left on device)"
    )
    assert "nanobind" not in result.stdout + result.stderr
    assert digest(target) == before
    assert not list(small_disk.glob(".w.duckdb.build-*"))


# --- 7. the shrink guard through `strikewatch run` (the flow) --------------------------------


@pytest.mark.usefixtures("prefect_server")
def test_run_refuses_to_publish_an_empty_source_over_a_full_warehouse(
    seeds_warehouse_copy, tmp_path
):
    """Without --allow-shrink the flow publishes nothing; with it, the empty warehouse. The two
    runs start at once, each on its own copy of the published warehouse."""
    refused_target = seeds_warehouse_copy  # with dbt's state beside it: no need to parse sql/
    allowed_target = tmp_path / "allowed" / refused_target.name
    shutil.copytree(tmp_path, allowed_target.parent)  # the warehouse, its cache and dbt state
    before = digest(refused_target)
    empty = tmp_path / "failed_mount"
    empty.mkdir()

    def start(target: Path, *more: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "strikewatch.cli", "run", "--source", str(empty),
             "--warehouse", str(target), "--quiet", *more],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/",
        )  # fmt: skip

    runs = [start(refused_target), start(allowed_target, "--allow-shrink")]
    (refused_out, refused_err), (allowed_out, allowed_err) = [
        run.communicate(timeout=300) for run in runs
    ]
    assert runs[0].returncode == 2, refused_out + refused_err
    assert one_line(refused_err) == (
        "strikewatch: nothing published: this run would publish no articles (the published "
        "warehouse has 5); run again with --allow-shrink if that is what you want"
    )
    assert digest(refused_target) == before

    assert runs[1].returncode == 0, allowed_out + allowed_err
    with duckdb.connect(str(allowed_target), read_only=True) as con:
        assert con.execute("select count(*) from extracted.articles").fetchone()[0] == 0


# --- 13. the temporary Prefect server ends with the run ----------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _server_of(run: subprocess.Popen[str]) -> int | None:
    servers = [
        pid
        for pid in _children(run.pid)
        if "strikewatch.prefect_server" in Path(f"/proc/{pid}/cmdline").read_text()
    ]
    assert len(servers) <= 1
    return servers[0] if servers else None


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory) -> Path:
    return build_variant_corpus(tmp_path_factory.mktemp("long") / "articles", 300)


def _start_run(corpus: Path, target: Path, own_home: Path | None) -> subprocess.Popen[str]:
    """`strikewatch run` as a user starts it; with `own_home`, on a temporary server of its own
    whose Prefect home that is (a migrated copy: see migrated_prefect_home)."""
    env = dict(os.environ)
    if own_home is not None:
        del env["PREFECT_API_URL"]
        env["PREFECT_HOME"] = str(own_home)
    return subprocess.Popen(
        [sys.executable, "-m", "strikewatch.cli", "run", "--source", str(corpus),
         "--warehouse", str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/", env=env,
        start_new_session=True,
    )  # fmt: skip


def _signal_at(run: subprocess.Popen[str], stage: str, how: str) -> tuple[int | None, str, str]:
    """(its server's pid, stdout, stderr after the signal) of a run signalled at a stage."""
    for line in run.stderr:
        if stage in line:
            break
    server = _server_of(run)
    time.sleep(0.5)
    if how == "SIGINT":  # Ctrl-C reaches the terminal's whole process group
        os.killpg(run.pid, signal.SIGINT)
    else:
        os.kill(run.pid, getattr(signal, how))
    out, err = run.communicate(timeout=60)
    return server, out, err


def test_the_temporary_prefect_server_ends_with_the_run(long_corpus, prefect_server, tmp_path):
    """Ctrl-C and kill -9 with the run's own server; SIGTERM, whose cleanup is Ctrl-C's, with
    the shared one, to save a server start."""
    hows = ("SIGINT", "SIGTERM", "SIGKILL")
    targets = {how: tmp_path / how / "w.duckdb" for how in hows}
    homes = {
        how: migrated_prefect_home(prefect_server, tmp_path / f"prefect-home-{how}")
        for how in ("SIGINT", "SIGKILL")
    }
    runs = {how: _start_run(long_corpus, targets[how], homes.get(how)) for how in hows}
    try:
        # while a batch is extracting (which Prefect would wait for), when the server is up
        # each run is watched at once: a run left unread while another is signalled could finish
        with ThreadPoolExecutor(len(hows)) as watchers:
            watched = {
                how: watchers.submit(_signal_at, runs[how], "extracting facts", how) for how in hows
            }
            results = {how: future.result() for how, future in watched.items()}
    finally:
        for run in runs.values():
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
    servers = {how: server for how, (server, _, _) in results.items()}
    assert servers["SIGINT"] and servers["SIGKILL"]
    deadline = time.monotonic() + 10
    while any(alive(server) for server in servers.values() if server):
        assert time.monotonic() < deadline, "a Prefect server outlived its run"
        time.sleep(0.1)
    assert runs["SIGKILL"].returncode == -signal.SIGKILL
    for how in ("SIGINT", "SIGTERM"):
        target, (_, out, err) = targets[how], results[how]
        assert runs[how].returncode == 128 + getattr(signal, how)
        what = "interrupted (Ctrl-C)" if how == "SIGINT" else "terminated (SIGTERM)"
        # progress lines printed before the signal arrived may precede it; nothing follows it
        *progress, last = err.strip("\n").split("\n")
        assert last == f"strikewatch: {what}: nothing published; {target} is as it was", err
        assert all(line.startswith("strikewatch: ") for line in progress), err
        assert out == "" and "nanobind" not in err
        assert not target.exists()
        assert not list(target.parent.glob(".w.duckdb.build-*")), "build file left behind"
        with run_lock(target, wait=False):  # released
            pass


def test_cleanup_after_a_failed_run_never_touches_another_runs_files(tmp_path):
    target = tmp_path / "w.duckdb"
    leftovers = [tmp_path / ".w.duckdb.build-1", tmp_path / ".w.duckdb.build-1.d"]
    leftovers[0].write_bytes(b"half a build")
    leftovers[1].mkdir()
    with open(lock_path_for(target), "a+") as other_run:  # the lock as another process holds it
        fcntl.flock(other_run, fcntl.LOCK_EX)
        cli._remove_build_files(target)
        assert all(path.exists() for path in leftovers)
    with run_lock(target):  # this process's own run: its files go
        cli._remove_build_files(target)
        assert not any(path.exists() for path in leftovers)

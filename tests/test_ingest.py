"""Ingest stage on a hostile corpus generated here, and on the real seeds."""

from __future__ import annotations

import errno
import hashlib
import os
import random
from datetime import date
from pathlib import Path

import pytest
from unprivileged import reachable_tmp, run_unprivileged

from strikewatch import ingest
from strikewatch.ingest import (
    DecodedDocument,
    Rejection,
    decode_bytes,
    discover_files,
    find_duplicates,
    read_document,
    read_documents,
)
from strikewatch.manifest import load_manifest, parse_manifest_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02"

CP1252_TEXT = (
    "Doctors said the offer was \u201cunsafe\u201d and \u2018unfair\u2019, costing \xa3200."
)
LATIN1_TEXT = "Pay rose by \xa350 a week, the caf\xe9 owner said.\xa0Staff agreed."
CRLF_TEXT = "Junior doctors walk out\r\nThe strike began at 8am.\r\nTalks failed.\r\n"
NBSP_TEXT = "More than 12,000\xa0operations were cancelled on 26\xa0April."


def decoded(path: Path, source_file: str | None = None) -> DecodedDocument:
    """read_document that must succeed."""
    result = read_document(path, source_file or path.name)
    assert isinstance(result, DecodedDocument), result
    return result


def rejected(path: Path, source_file: str | None = None) -> Rejection:
    """read_document that must reject."""
    result = read_document(path, source_file or path.name)
    assert isinstance(result, Rejection), result
    return result


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write bytes to folder/name, creating folders on the way."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- rejected content


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    result = rejected(write(tmp_path, "empty.txt", b""))
    assert result.kind == "empty"
    assert result.reason == "empty file (0 bytes)"


def test_whitespace_only_file_is_rejected(tmp_path: Path) -> None:
    result = rejected(write(tmp_path, "blank.txt", b" \r\n\t\n\xc2\xa0 \n"))
    assert result.kind == "whitespace"
    assert "only whitespace" in result.reason


def test_bom_only_file_counts_as_no_text(tmp_path: Path) -> None:
    assert rejected(write(tmp_path, "bom.txt", b"\xef\xbb\xbf")).kind == "whitespace"


def test_png_with_png_name_is_binary(tmp_path: Path) -> None:
    result = rejected(write(tmp_path, "chart.png", PNG_HEADER + bytes(64)))
    assert result.kind == "binary"
    assert result.reason == "binary file, not text: the bytes are a PNG image"


def test_png_named_txt_says_named_txt_but_not_text(tmp_path: Path) -> None:
    result = rejected(write(tmp_path, "article.txt", PNG_HEADER + bytes(64)))
    assert result.kind == "not_text"
    assert result.reason == "named .txt but not text: the bytes are a PNG image"


@pytest.mark.parametrize(
    ("header", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"GIF89a\x10\x00\x10\x00", "a GIF image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "a gzip archive"),
    ],
)
def test_other_binary_signatures_are_named(header: bytes, what: str) -> None:
    assert (
        decode_bytes(header + b"rest of the file") == f"binary file, not text: the bytes are {what}"
    )


def test_text_with_nul_bytes_is_binary(tmp_path: Path) -> None:
    data = b"Strike called off\x00\x00\x07\x00 after talks\x00\xff\x00"
    result = rejected(write(tmp_path, "report.dat", data))
    assert result.reason == "binary file, not text: contains NUL bytes (binary data)"


def test_random_bytes_named_txt_are_not_text(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(4096)
    result = rejected(write(tmp_path, "noise.txt", noise))
    assert result.kind == "not_text"
    assert result.reason.startswith("named .txt but not text:")


def test_control_characters_without_nul_are_not_text(tmp_path: Path) -> None:
    generator = random.Random(11)
    data = bytes(generator.choice(b"\x01\x02\x03\x1b\x7fabc") for _ in range(2000))
    result = rejected(write(tmp_path, "dump.txt", data))
    assert result.reason == "named .txt but not text: mostly control characters (binary data)"


def test_dense_high_bytes_are_undecodable(tmp_path: Path) -> None:
    generator = random.Random(3)
    data = bytes(generator.randrange(0xA0, 0x100) for _ in range(3000))
    result = rejected(write(tmp_path, "cyrillic.txt", data))
    assert result.kind == "undecodable"
    assert "too many non-ASCII bytes" in result.reason


def test_bad_utf16_after_bom_is_undecodable() -> None:
    lone_low_surrogate = b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xdc" + b"a\x00"
    reason = decode_bytes(lone_low_surrogate)
    assert reason == (
        "undecodable: starts with a utf-16-le byte-order mark but is not valid utf-16-le"
    )


# ---------------------------------------------------------------- decoded text


def test_windows_1252_curly_quotes_and_pound(tmp_path: Path) -> None:
    doc = decoded(write(tmp_path, "cp1252.txt", CP1252_TEXT.encode("windows-1252")))
    assert doc.text == CP1252_TEXT
    assert doc.encoding == "windows-1252"
    assert b"\x93unsafe\x94" in CP1252_TEXT.encode("windows-1252")


def test_latin1_text_decodes_exactly(tmp_path: Path) -> None:
    doc = decoded(write(tmp_path, "latin1.txt", LATIN1_TEXT.encode("latin-1")))
    assert doc.text == LATIN1_TEXT
    assert doc.encoding == "windows-1252"  # identical to Latin-1 for every printable byte


def test_latin1_is_the_fallback_for_bytes_windows_1252_lacks() -> None:
    data = "Caf\xe9 owners paid \xa35.".encode("latin-1") + b"\x81"
    assert decode_bytes(data) == ("Caf\xe9 owners paid \xa35.\x81", "latin-1")


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [
        ("utf-16", "utf-16-le (BOM)"),
        ("utf-16-be", "utf-16-be (BOM)"),
        ("utf-32", "utf-32-le (BOM)"),
        ("utf-32-be", "utf-32-be (BOM)"),
        ("utf-8-sig", "utf-8 (BOM)"),
    ],
)
def test_byte_order_marks(tmp_path: Path, codec: str, encoding: str) -> None:
    data = CP1252_TEXT.encode(codec)
    if codec in ("utf-16-be", "utf-32-be"):
        data = "\ufeff".encode(codec) + data
    doc = decoded(write(tmp_path, "bom.txt", data))
    assert doc.text == CP1252_TEXT
    assert not doc.text.startswith("\ufeff")
    assert doc.encoding == encoding
    assert doc.bytes == len(data)


@pytest.mark.parametrize(
    ("codec", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")]
)
def test_utf16_without_bom_is_found_by_nul_pattern(tmp_path: Path, codec: str, name: str) -> None:
    doc = decoded(write(tmp_path, "no_bom.txt", CRLF_TEXT.encode(codec)))
    assert doc.text == CRLF_TEXT
    assert doc.encoding == f"{name} (no BOM)"


def test_crlf_is_kept_so_offsets_match_raw_text(tmp_path: Path) -> None:
    doc = decoded(write(tmp_path, "crlf.txt", CRLF_TEXT.encode("utf-8")))
    assert doc.text == CRLF_TEXT
    start = doc.text.index("The strike")
    assert doc.text[start - 2 : start] == "\r\n"


def test_non_breaking_spaces_are_kept(tmp_path: Path) -> None:
    doc = decoded(write(tmp_path, "nbsp.txt", NBSP_TEXT.encode("utf-8")))
    assert doc.text == NBSP_TEXT
    assert doc.text.count("\xa0") == 2
    assert doc.encoding == "utf-8"


def test_truncated_mid_word_and_mid_number_decodes_unchanged(tmp_path: Path) -> None:
    for name, text in [("word.txt", "The BMA said the contra"), ("number.txt", "Around 43,0")]:
        doc = decoded(write(tmp_path, name, text.encode("utf-8")))
        assert doc.text == text
        assert doc.encoding == "utf-8"


def test_truncated_mid_utf8_sequence_drops_only_the_partial_character(tmp_path: Path) -> None:
    text = "The \u201cnew\u201d deal is worth \u20ac"
    data = text.encode("utf-8")[:-1]  # the euro sign is three bytes; keep two
    doc = decoded(write(tmp_path, "cut.txt", data))
    assert doc.text == "The \u201cnew\u201d deal is worth "
    assert doc.encoding == "utf-8 (truncated tail)"
    assert doc.document_id == hashlib.sha256(data).hexdigest()


def test_truncated_utf16_odd_byte_is_dropped() -> None:
    data = "\ufeffStrike".encode("utf-16-le") + b"a"
    assert decode_bytes(data) == ("Strike", "utf-16-le (BOM, truncated tail)")


def test_one_trailing_high_byte_after_ascii_reads_as_windows_1252() -> None:
    assert decode_bytes(b"They met in a caf\xe9") == ("They met in a caf\xe9", "windows-1252")


def test_utf8_with_a_stray_bad_byte_keeps_the_good_characters() -> None:
    good = "\u201cWe\u2019re striking\u201d, she said \u2013 \u201cagain\u201d."
    data = good.encode("utf-8") + b" Cost: \xa3" + "3m \u2013 \u2018a lot\u2019".encode()
    text, encoding = decode_bytes(data)
    assert text == good + " Cost: \ufffd3m \u2013 \u2018a lot\u2019"
    assert encoding == "utf-8 (1 invalid byte sequence replaced)"


# ---------------------------------------------------------------- unreadable and vanished


def test_file_vanishing_between_discovery_and_read(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"Doctors strike today.")
    write(tmp_path, "gone.txt", b"This file will be deleted.")
    discovery = discover_files(tmp_path, None)
    (tmp_path / "gone.txt").unlink()
    docs, rejections = read_documents(discovery)
    assert [doc.source_file for doc in docs] == ["a.txt"]
    assert rejections == [
        Rejection(
            "gone.txt",
            "file disappeared before it could be read (no longer in the source folder)",
            "vanished",
        )
    ]


def test_permission_denied_reason_via_simulated_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "locked.txt", b"Secret plans.")

    def refuse(*_: object) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(ingest, "read_inside", refuse)
    result = rejected(path)
    assert result == Rejection(
        "locked.txt", "file could not be read: permission denied", "unreadable"
    )


def test_permission_denied_with_real_chmod() -> None:
    with reachable_tmp() as folder:  # read as `nobody` when the tests run as root
        path = write(folder, "locked.txt", b"Secret plans.")
        path.chmod(0)
        result = run_unprivileged(
            "from strikewatch.ingest import read_document",
            "print(read_document(sys.argv[1], 'locked.txt').reason)",
            [str(path)],
        )
    assert result.stdout.strip() == "file could not be read: permission denied", result.stderr


def test_other_os_errors_are_described(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(ingest, "read_inside", fail)
    assert rejected(tmp_path / "x.txt").reason == "file could not be read: input/output error"


def test_fifo_is_rejected_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert rejected(fifo).kind == "not_regular"
    assert discover_files(tmp_path, None).rejections[0].kind == "not_regular"


def test_directory_passed_to_read_document_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    assert rejected(tmp_path / "folder.txt") == Rejection(
        "folder.txt", "is a folder, not a file", "not_regular"
    )


def test_oversized_file_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 10)
    result = rejected(write(tmp_path, "big.txt", b"x" * 11))
    assert result.kind == "too_large"
    assert result.reason == "too large to be an article: 11 bytes (limit 10 bytes)"


# ---------------------------------------------------------------- discovery


def test_discovery_walks_deep_folders_in_sorted_order(tmp_path: Path) -> None:
    deep = "/".join(f"level{i:02d}" for i in range(40))
    write(tmp_path, f"{deep}/buried.txt", b"Deep article.")
    write(tmp_path, "b.txt", b"B")
    write(tmp_path, "a/z.txt", b"AZ")
    write(tmp_path, "a/c.html", b"<p>AC</p>")
    discovery = discover_files(tmp_path, None)
    names = [candidate.source_file for candidate in discovery.candidates]
    assert names == sorted(names)
    assert names == ["a/c.html", "a/z.txt", "b.txt", f"{deep}/buried.txt"]
    buried = discovery.candidates[-1]
    assert decoded(buried.path, buried.source_file).text == "Deep article."
    assert discovery.rejections == []


def test_discovery_skips_hidden_docs_and_manifest(tmp_path: Path) -> None:
    write(tmp_path, "article.txt", b"Article.")
    write(tmp_path, ".hidden.txt", b"Hidden.")
    write(tmp_path, ".git/objects/x.txt", b"Hidden folder.")
    for name in [
        "README",
        "readme.txt",
        "LICENSE.txt",
        "CHANGELOG",
        "notes.md",
        "data.json",
        "conf.yaml",
        "conf.yml",
        "pyproject.toml",
        "other.csv",
    ]:
        write(tmp_path, name, b"not an article")
    manifest = write(tmp_path, "list_of_sources.txt", b"file,publisher\narticle.txt,BBC\n")
    discovery = discover_files(tmp_path, manifest)
    assert [candidate.source_file for candidate in discovery.candidates] == ["article.txt"]
    assert "list_of_sources.txt" in discovery.ignored
    assert "README" in discovery.ignored and "other.csv" in discovery.ignored
    assert not any(name.startswith(".") for name in discovery.ignored)


def test_symlink_loops_are_not_followed_and_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "news/story.txt", b"A story.")
    (tmp_path / "news" / "again").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "news" / "story.txt")
    discovery = discover_files(tmp_path, None)
    assert [c.source_file for c in discovery.candidates] == ["alias.txt", "news/story.txt"]
    reasons = {rejection.source_file: rejection.reason for rejection in discovery.rejections}
    assert reasons == {
        "dangling.txt": "broken symbolic link: its target does not exist",
        "news/again": "symbolic link to a folder: not followed (folder links are never followed)",
        "self.txt": "symbolic link loop: the link points back to itself",
    }


def test_unlistable_folder_is_a_rejection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "ok.txt", b"Fine.")
    write(tmp_path, "private/secret.txt", b"Hidden by permissions.")
    list_folder = ingest._list_folder

    def refuse_private(folder: Path) -> list[os.DirEntry[str]]:
        if folder.name == "private":
            raise PermissionError(errno.EACCES, "Permission denied", str(folder))
        return list_folder(folder)

    monkeypatch.setattr(ingest, "_list_folder", refuse_private)
    discovery = discover_files(tmp_path, None)
    assert [c.source_file for c in discovery.candidates] == ["ok.txt"]
    assert discovery.rejections == [
        Rejection("private/", "folder could not be listed: permission denied", "unreadable")
    ]


def test_missing_source_folder_is_a_rejection_not_a_crash(tmp_path: Path) -> None:
    discovery = discover_files(tmp_path / "nope", None)
    assert discovery.candidates == []
    assert discovery.rejections[0].source_file == "./"
    assert "could not be listed" in discovery.rejections[0].reason


def test_undecodable_file_name_is_rejected(tmp_path: Path) -> None:
    try:
        (tmp_path / os.fsdecode(b"bad\xffname.txt")).write_bytes(b"Text.")
    except (OSError, UnicodeError):
        pytest.skip("this filesystem refuses non-UTF-8 file names")
    discovery = discover_files(tmp_path, None)
    assert discovery.candidates == []
    assert discovery.rejections == [
        Rejection("bad\ufffdname.txt", "file name is not valid UTF-8", "bad_name")
    ]


# ---------------------------------------------------------------- duplicates


def test_same_content_under_two_names(tmp_path: Path) -> None:
    body = b"Junior doctors began a 48-hour strike."
    write(tmp_path, "b/copy.txt", body)
    write(tmp_path, "a/original.txt", body)
    write(tmp_path, "c/other.txt", b"Different words.")
    docs, rejections = read_documents(discover_files(tmp_path, None))
    assert [doc.source_file for doc in docs] == ["a/original.txt", "c/other.txt"]
    assert rejections == [Rejection("b/copy.txt", "same content as a/original.txt", "duplicate")]


def test_find_duplicates_first_in_sorted_order_wins() -> None:
    def doc(name: str, content_id: str) -> DecodedDocument:
        return DecodedDocument(name, content_id, 1, "utf-8", "x")

    found = find_duplicates(
        [doc("z.txt", "h1"), doc("m.txt", "h1"), doc("a.txt", "h1"), doc("q", "h2")]
    )
    assert found == {"m.txt": "a.txt", "z.txt": "a.txt"}


# ---------------------------------------------------------------- manifest


def test_hostile_manifest_warns_and_keeps_good_rows(tmp_path: Path) -> None:
    manifest = write(
        tmp_path,
        "sources.csv",
        (
            "\ufeff File , Publisher ,URL, Published Date ,notes,score\r\n"
            "a.txt,The Times,https://example.org/a,2016-04-26,first,3\r\n"
            "b.txt,  Daily Post ,,2016-13-45,,\r\n"
            "c.txt,Pulse,,26/04/2016\r\n"
            "d.txt,Nursing Times,,03/04/2016,,,surplus\r\n"
            "ghost.txt,Nowhere,,2016-01-01,,\r\n"
            "a.txt,Copy,,2016-01-01,,\r\n"
            ",No name,,2016-01-01,,\r\n"
            "nested.txt,GP Online,not a url,5 March 2023,,\r\n"
            ",,,,,\r\n"
        ).encode("utf-8"),
    )
    known = {"a.txt", "b.txt", "c.txt", "d.txt", "2023/march/nested.txt"}
    result = load_manifest(manifest, known)
    assert result.ignored_columns == ["notes", "score"]
    assert result.entries == {
        "a.txt": ingest.ManifestEntry("The Times", "https://example.org/a", date(2016, 4, 26)),
        "b.txt": ingest.ManifestEntry("Daily Post", None, None),
        "c.txt": ingest.ManifestEntry("Pulse", None, date(2016, 4, 26)),
        "d.txt": ingest.ManifestEntry("Nursing Times", None, None),
        "2023/march/nested.txt": ingest.ManifestEntry("GP Online", None, date(2023, 3, 5)),
    }
    assert result.warnings == [
        "manifest sources.csv line 3 ('b.txt'): published_date '2016-13-45' is not a real "
        "calendar date; date left empty",
        "manifest sources.csv line 5: more values than columns; the extra values are ignored",
        "manifest sources.csv line 5 ('d.txt'): published_date '03/04/2016' is ambiguous "
        "(day/month or month/day?); use YYYY-MM-DD; date left empty",
        "manifest sources.csv line 6: 'ghost.txt' is not among the source files; row ignored",
        "manifest sources.csv line 7: 'a.txt' is listed again (first on line 2); "
        "the first entry is kept",
        "manifest sources.csv line 8: no file name; row ignored",
        "manifest sources.csv line 9 ('nested.txt'): url 'not a url' is not a web address; ignored",
    ]


def test_manifest_with_only_file_column(tmp_path: Path) -> None:
    manifest = write(tmp_path, "m.csv", b"file\nx.txt\n")
    result = load_manifest(manifest, {"x.txt"})
    assert result.entries == {"x.txt": ingest.ManifestEntry(None, None, None)}
    assert result.warnings == []


def test_missing_manifest_is_empty_without_warning(tmp_path: Path) -> None:
    assert load_manifest(tmp_path / "absent.csv", {"a.txt"}) == ingest.Manifest()
    assert load_manifest(None, {"a.txt"}) == ingest.Manifest()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            PNG_HEADER,
            "manifest sources.csv ignored: binary file, not text: the bytes are a PNG image",
        ),
        (b"", "manifest sources.csv ignored: empty file (0 bytes)"),
        (
            b'{"file": "a.txt"}\n',
            "manifest sources.csv ignored: no 'file' column in its first line "
            "(expected columns: file, publisher, url, published_date)",
        ),
    ],
)
def test_unusable_manifest_is_empty_with_warning(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    result = load_manifest(write(tmp_path, "sources.csv", content), {"a.txt"})
    assert result.entries == {}
    assert result.warnings == [expected]


def test_manifest_line_with_an_open_quote_spoils_only_that_line(tmp_path: Path) -> None:
    manifest = write(
        tmp_path,
        "sources.csv",
        b'file,publisher\n"a.txt,BBC\nb.txt,Pulse\nc.txt,' + b"x" * 200_000 + b"\n",
    )
    result = load_manifest(manifest, {"a.txt", "b.txt", "c.txt"})
    assert result.entries == {"b.txt": ingest.ManifestEntry("Pulse", None, None)}
    assert result.warnings == [
        "manifest sources.csv line 2: unterminated quote (a value opens a quote and never "
        "closes it); row ignored",
        "manifest sources.csv line 4: a value over 4,096 characters; row ignored",
    ]


def test_unreadable_manifest_is_empty_with_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = write(tmp_path, "sources.csv", b"file\na.txt\n")

    def refuse(*_: object) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(ingest, "read_inside", refuse)
    result = load_manifest(manifest, {"a.txt"})
    assert result.entries == {}
    assert result.warnings == [
        "manifest sources.csv ignored: file could not be read: permission denied"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-04-26", date(2016, 4, 26)),
        ("2023-01-05T09:30:00Z", date(2023, 1, 5)),
        ("26/04/2016", date(2016, 4, 26)),
        ("7/7/2023", date(2023, 7, 7)),
        ("26th April 2016", date(2016, 4, 26)),
        ("3 Sept 2024", date(2024, 9, 3)),
        ("2016-13-45", None),
        ("31/02/2016", None),
        ("04/05/2016", None),
        ("next Tuesday", None),
        ("2016", None),
    ],
)
def test_manifest_dates(value: str, expected: date | None) -> None:
    parsed, problem = parse_manifest_date(value)
    assert parsed == expected
    assert (problem is None) == (expected is not None)


# ---------------------------------------------------------------- seeds and whole corpus


def test_real_seeds_decode_as_utf8_with_manifest_entries() -> None:
    discovery = discover_files(SEEDS, SEEDS / "sources.csv")
    docs, rejections = read_documents(discovery)
    assert rejections == []
    assert len(docs) == 5
    assert {doc.encoding for doc in docs} == {"utf-8"}
    for doc in docs:
        assert doc.text == (SEEDS / doc.source_file).read_bytes().decode("utf-8")
    manifest = load_manifest(SEEDS / "sources.csv", {doc.source_file for doc in docs})
    assert manifest.warnings == []
    assert set(manifest.entries) == {doc.source_file for doc in docs}
    assert all(entry.publisher and entry.published_date for entry in manifest.entries.values())


def test_hostile_corpus_next_to_seeds_loses_no_seed(tmp_path: Path) -> None:
    for seed in SEEDS.glob("*.txt"):
        write(tmp_path, f"seeds/{seed.name}", seed.read_bytes())
    write(tmp_path, "hostile/empty.txt", b"")
    write(tmp_path, "hostile/image.txt", PNG_HEADER)
    write(tmp_path, "hostile/cp1252.txt", CP1252_TEXT.encode("windows-1252"))
    write(tmp_path, "zz_later/copy.txt", (SEEDS / "004_4b4592801f336815.txt").read_bytes())
    (tmp_path / "hostile" / "loop").symlink_to(tmp_path, target_is_directory=True)
    docs, rejections = read_documents(discover_files(tmp_path, None))
    kept = {doc.source_file for doc in docs}
    assert {f"seeds/{seed.name}" for seed in SEEDS.glob("*.txt")} <= kept
    assert "hostile/cp1252.txt" in kept
    assert {r.source_file: r.kind for r in rejections} == {
        "zz_later/copy.txt": "duplicate",
        "hostile/empty.txt": "empty",
        "hostile/image.txt": "not_text",
        "hostile/loop": "folder_link",
    }


@pytest.mark.slow
def test_fifty_megabyte_article_decodes(tmp_path: Path) -> None:
    paragraph = (
        "Junior doctors in England walked out at 08:00 BST, the BMA said \u2013 "
        "about 12,500 operations were postponed at a cost of \xa320m.\r\n"
    )
    repeats = 50 * 1024 * 1024 // len(paragraph.encode("utf-8")) + 1
    text = paragraph * repeats
    path = write(tmp_path, "huge.txt", text.encode("utf-8"))
    doc = decoded(path)
    assert doc.bytes >= 50 * 1024 * 1024
    assert doc.encoding == "utf-8"
    assert doc.text == text

"""First pipeline stage: find the source files and decode them as text.

Rules, in the order they apply:

Discovery (`discover_files`)
- The source folder is walked recursively without recursion limits, in sorted order; results are
  sorted by `source_file`, the file's path relative to the source folder in posix form.
- Hidden files and folders (name starting with ".") are skipped and not reported.
- Symbolic links to folders are never followed, so a link loop cannot trap the walk; each one is
  reported as a rejection. Symbolic links to files are followed (the target is read) only when
  the target lies inside the source folder; a link that leads outside it (to /etc/passwd, say) is
  a rejection and its target is never read. Broken or looping file links are rejections.
- Not articles, listed in `Discovery.ignored` rather than rejected: the manifest itself,
  README*/LICENSE*/CHANGELOG* and documentation or data files (.csv .json .yaml .yml .toml .md).
- Folders that cannot be listed, non-regular files (pipes, sockets, devices) and names that are not
  valid UTF-8 are rejections. Nothing raises.

Decoding (`read_document`)
- Reading never raises: a file that vanished, cannot be opened, is too large or is not a regular
  file becomes a `Rejection` whose reason a person can act on.
- Reading never leaves the source folder and never blocks (`read_inside`): the path is resolved
  and must stay inside the folder; pipes, sockets and devices are recognised with lstat and never
  opened; the size is checked before a byte is read.
- Rejected as content: empty (0 bytes); only whitespace; binary (PNG, JPEG, GIF, PDF, ZIP or gzip
  signature, or NUL bytes that are not UTF-16); bytes that decode but are mostly control
  characters; bytes no supported encoding reads as text. A binary file named like a text file
  (.txt) is rejected as "named .txt but not text".
- Encodings are tried in this order: UTF-32/UTF-8/UTF-16 byte-order mark; UTF-16 without a mark,
  recognised by NUL bytes on every other position; strict UTF-8; Windows-1252; Latin-1. The two
  single-byte encodings are only accepted for text-like bytes (mostly ASCII, few control chars).
- The text is kept exactly as decoded, minus the byte-order mark: line ends (CRLF included),
  non-breaking spaces and everything else stay, because downstream offsets index into it.
- An incomplete character at the very end (a truncated file) is dropped and the encoding name says
  "(truncated tail)". Exception: one dangling byte after pure-ASCII text is more likely a
  Windows-1252 letter than a cut UTF-8 sequence, so that case is decoded as Windows-1252.

Duplicates (`find_duplicates`): files with identical bytes. The file the published warehouse
already holds with those bytes keeps its identity; otherwise the first in sorted order is kept.

The manifest is read by `strikewatch.manifest` (`load_manifest`, also importable from here).
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path, PurePosixPath

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_CONTROL_SHARE = 0.02
MAX_NON_ASCII_SHARE_SINGLE_BYTE = 0.30
TEXT_SUFFIXES = {".txt", ".text"}
NOT_ARTICLE_SUFFIXES = {".csv", ".json", ".yaml", ".yml", ".toml", ".md"}
NOT_ARTICLE_PREFIXES = ("readme", "license", "licence", "changelog")

BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
)
BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
NON_ASCII_BYTES = bytes(range(0x80, 0x100))
UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


@dataclass(frozen=True)
class Rejection:
    """A file (or folder) that will not be loaded, and why, in words a person understands."""

    source_file: str
    reason: str
    kind: str  # short code: empty, whitespace, binary, not_text, undecodable, unreadable, ...


@dataclass(frozen=True)
class Candidate:
    """A file that may be an article: its id and where to read it."""

    source_file: str
    path: Path


@dataclass
class Discovery:
    """What a walk of the source folder found."""

    candidates: list[Candidate] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DecodedDocument:
    """A source file decoded to text; offsets downstream index into `text`."""

    source_file: str
    document_id: str
    bytes: int
    encoding: str
    text: str


@dataclass(frozen=True)
class ManifestEntry:
    """What the manifest says about one source file."""

    publisher: str | None
    url: str | None
    published_date: date | None


@dataclass
class Manifest:
    """Manifest entries by source_file, plus the problems met while reading it."""

    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


class _NotRegularFile(Exception):
    """Raised by `read_inside` for pipes, sockets and devices."""


class _TooLarge(Exception):
    """Raised by `read_inside` for files over the size limit."""


class _OutsideSource(Exception):
    """Raised by `read_inside` for a path that resolves outside the source folder."""


# ---------------------------------------------------------------- discovery


def discover_files(source_dir: Path, manifest_path: Path | None = None) -> Discovery:
    """Walk source_dir (never following folder links) and list candidate article files."""
    root = Path(source_dir)
    root_real = os.path.realpath(root)
    manifest_real = Path(manifest_path).resolve() if manifest_path else None
    found = Discovery()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = _list_folder(folder)
        except OSError as exc:
            name = _relative_name(folder, root)
            found.rejections.append(
                Rejection(
                    f"{name}/",
                    f"folder could not be listed: {_describe_os_error(exc)}",
                    "unreadable",
                )
            )
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            source_file = _relative_name(path, root)
            if not _is_utf8(source_file):
                found.rejections.append(
                    Rejection(_printable(source_file), "file name is not valid UTF-8", "bad_name")
                )
            elif entry.is_symlink():
                _classify_link(path, source_file, root_real, manifest_real, found)
            elif entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif entry.is_file(follow_symlinks=False):
                _classify_file(path, source_file, manifest_real, found)
            else:
                found.rejections.append(_not_regular(source_file))
    found.candidates.sort(key=lambda candidate: candidate.source_file)
    found.rejections.sort(key=lambda rejection: rejection.source_file)
    found.ignored.sort()
    return found


def _list_folder(folder: Path) -> list[os.DirEntry[str]]:
    """Entries of one folder, sorted by name."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _classify_link(
    path: Path, source_file: str, root_real: str, manifest_real: Path | None, found: Discovery
) -> None:
    """Follow a link to a file inside the source folder; report every other link.

    A link whose target lies outside the folder is rejected before the target is looked at.
    """
    if not _is_inside(os.path.realpath(path), root_real):
        found.rejections.append(Rejection(source_file, _outside_reason(path), "outside_link"))
        return
    try:
        target = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reason = "symbolic link loop: the link points back to itself"
        elif exc.errno == errno.ENOENT:
            reason = "broken symbolic link: its target does not exist"
        else:
            reason = f"symbolic link could not be followed: {_describe_os_error(exc)}"
        found.rejections.append(Rejection(source_file, reason, "bad_link"))
        return
    if stat.S_ISDIR(target.st_mode):
        reason = "symbolic link to a folder: not followed (folder links are never followed)"
        found.rejections.append(Rejection(source_file, reason, "folder_link"))
    elif stat.S_ISREG(target.st_mode):
        _classify_file(path, source_file, manifest_real, found)
    else:
        found.rejections.append(_not_regular(source_file))


def _classify_file(
    path: Path, source_file: str, manifest_real: Path | None, found: Discovery
) -> None:
    """Record a regular file as a candidate, or as ignored when it is not an article."""
    if _is_manifest(str(path), manifest_real) or _is_not_article(path.name):
        found.ignored.append(source_file)
    else:
        found.candidates.append(Candidate(source_file, path))


def _is_manifest(path: str, manifest_real: Path | None) -> bool:
    """True when `path` is the manifest, or a link to it."""
    if manifest_real is None:
        return False
    # resolving every path is slow: only a file of the same name, or a link, can be it
    same_name = os.path.basename(path) == manifest_real.name
    return (same_name or os.path.islink(path)) and os.path.realpath(path) == str(manifest_real)


def is_candidate(root: Path, relative: str, manifest_real: Path | None) -> bool:
    """Whether `discover_files(root, manifest)` would list `relative` as a candidate article.

    Called once per manifest row, so it works on strings and asks the file system little.
    """
    parts = relative.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return False  # outside the folder (absolute, or ".."), or hidden
    folder = str(root)
    try:
        for part in parts[:-1]:  # discovery never enters a folder through a link
            folder = os.path.join(folder, part)
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return False
        path = os.path.join(folder, parts[-1])
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    if stat.S_ISREG(mode):
        return not (_is_manifest(path, manifest_real) or _is_not_article(parts[-1]))
    if stat.S_ISLNK(mode):
        found = Discovery()
        _classify_link(Path(path), relative, os.path.realpath(root), manifest_real, found)
        return bool(found.candidates)
    return False


def _is_not_article(name: str) -> bool:
    """True for READMEs, licences, changelogs and data/documentation files."""
    lowered = name.lower()
    return (
        lowered.startswith(NOT_ARTICLE_PREFIXES)
        or os.path.splitext(lowered)[1] in NOT_ARTICLE_SUFFIXES
    )


def _relative_name(path: Path, root: Path) -> str:
    """Posix-style path of `path` relative to `root` ("." for root itself)."""
    return PurePosixPath(*path.relative_to(root).parts).as_posix()


def _is_utf8(name: str) -> bool:
    """False when a file name carries undecodable bytes (surrogate escapes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(name: str) -> str:
    """A file name with undecodable bytes shown as replacement characters."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _not_regular(source_file: str) -> Rejection:
    """Rejection for pipes, sockets and devices."""
    return Rejection(
        source_file, "not a regular file (a pipe, socket or device), not read", "not_regular"
    )


# ---------------------------------------------------------------- reading and decoding


def read_document(
    path: Path, source_file: str, root: Path | None = None, limit: int | None = None
) -> DecodedDocument | Rejection:
    """Read one file and decode it as text, or say why it cannot be used.

    `source_file` is the file's path relative to the source folder, so the folder is `path`
    without `source_file` (or `root` when given): nothing outside it is read (see `read_inside`).
    """
    data = read_document_bytes(path, source_file, root, limit)
    if isinstance(data, Rejection):
        return data
    return decode_document(data, source_file)


def decode_document(data: bytes, source_file: str) -> DecodedDocument | Rejection:
    """A file's bytes decoded as text (see `read_document`), or why they are not text."""
    result = decode_bytes(data, suffix=Path(source_file).suffix.lower())
    if isinstance(result, str):
        return Rejection(source_file, result, _reason_kind(result))
    text, encoding = result
    if not text or text.isspace():
        return Rejection(
            source_file, f"contains only whitespace ({len(data)} bytes), no text", "whitespace"
        )
    document_id = hashlib.sha256(data).hexdigest()
    return DecodedDocument(source_file, document_id, len(data), encoding, text)


def read_document_bytes(
    path: Path, source_file: str, root: Path | None = None, limit: int | None = None
) -> bytes | Rejection:
    """The bytes `read_document` decodes, or why the file cannot be read."""
    try:
        return read_inside(Path(path), source_file, root, limit)
    except _NotRegularFile:
        return _not_regular(source_file)
    except _TooLarge as exc:
        return Rejection(source_file, str(exc), "too_large")
    except _OutsideSource as exc:
        return Rejection(source_file, str(exc), "outside_link")
    except OSError as exc:
        return _unreadable(source_file, exc)


def source_root_of(path: Path, source_file: str) -> Path:
    """The source folder `path` lies in: `path` without the trailing `source_file` parts."""
    parts, relative = Path(path).parts, PurePosixPath(source_file).parts
    if relative and len(parts) > len(relative) and parts[-len(relative) :] == relative:
        return Path(*parts[: -len(relative)])
    return Path(path).parent


def read_inside(
    path: Path, source_file: str, root: Path | None = None, limit: int | None = None
) -> bytes:
    """All bytes of a regular file inside the source folder, never more than `limit`.

    The path is resolved first, and a symbolic link whose target lies outside the folder raises
    `_OutsideSource` before anything is opened. The resolved path is then opened one folder at a
    time with O_NOFOLLOW, so a link swapped in after that check is refused, not followed. The
    file is checked with lstat before it is opened: pipes, sockets and devices are never opened
    (`_NotRegularFile`), and a file over the limit (MAX_FILE_BYTES by default) is never read
    (`_TooLarge`).
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    root_real = os.path.realpath(root if root is not None else source_root_of(path, source_file))
    target = os.path.realpath(path)
    if not _is_inside(target, root_real):
        raise _OutsideSource(_outside_reason(Path(path)))
    parts = PurePosixPath(os.path.relpath(target, root_real)).parts
    if not parts or parts == (".",):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    folder = os.open(root_real, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            os.close(folder)
            folder = inner
        descriptor = _open_regular(parts[-1], folder, limit)
    finally:
        os.close(folder)
    with open(descriptor, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # the file grew after it was measured
        raise _TooLarge(_too_large_reason(len(data), limit))
    return data


def _open_regular(name: str, folder: int, limit: int) -> int:
    """Descriptor of regular file `name` in `folder`; checked with lstat before the open."""
    info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    _check_regular(info, name, limit)
    # O_NONBLOCK: should a pipe be swapped in after the check, opening it cannot hang
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
    descriptor = os.open(name, flags, dir_fd=folder)
    try:
        opened = os.fstat(descriptor)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise _NotRegularFile  # replaced between the check and the open
        _check_regular(opened, name, limit)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _check_regular(info: os.stat_result, name: str, limit: int) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise OSError(errno.ELOOP, "Too many levels of symbolic links", name)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", name)
    if not stat.S_ISREG(info.st_mode):
        raise _NotRegularFile
    if info.st_size > limit:
        raise _TooLarge(_too_large_reason(info.st_size, limit))


def _too_large_reason(size: int, limit: int) -> str:
    return f"too large to be an article: {size:,} bytes (limit {limit:,} bytes)"


def _is_inside(target: str, root_real: str) -> bool:
    """True when the resolved `target` is `root_real` or lies below it."""
    return os.path.commonpath([target, root_real]) == root_real


def _outside_reason(path: Path) -> str:
    """Rejection reason for a link that leads out of the source folder."""
    try:
        link = f" to {os.readlink(path)}"
    except OSError:
        link = ""  # the link is further up the path
    return f"symbolic link{link} leads outside the source folder: not read"


def _unreadable(source_file: str, exc: OSError) -> Rejection:
    """Rejection for a file that could not be opened or read."""
    if exc.errno == errno.ENOENT:
        reason = "file disappeared before it could be read (no longer in the source folder)"
        return Rejection(source_file, reason, "vanished")
    if exc.errno == errno.ELOOP:
        return Rejection(source_file, "symbolic link loop: cannot be read", "bad_link")
    if exc.errno == errno.EISDIR:
        return Rejection(source_file, "is a folder, not a file", "not_regular")
    reason = f"file could not be read: {_describe_os_error(exc)}"
    return Rejection(source_file, reason, "unreadable")


def _describe_os_error(exc: OSError) -> str:
    """Short lower-case description of an OS error, e.g. 'permission denied'."""
    if exc.errno == errno.EACCES or isinstance(exc, PermissionError):
        return "permission denied"
    message = exc.strerror or os.strerror(exc.errno or 0) or type(exc).__name__
    return message[0].lower() + message[1:]


def decode_bytes(data: bytes, suffix: str = "") -> tuple[str, str] | str:
    """(text, encoding name) for text bytes, else the reason they are not text."""
    if not data:
        return "empty file (0 bytes)"
    named_as_text = suffix in TEXT_SUFFIXES
    for signature, what in BINARY_SIGNATURES:
        if data.startswith(signature):
            return _binary_reason(f"the bytes are {what}", suffix, named_as_text)
    for mark, codec in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            decoded = _decode_strict_but_tail(data[len(mark) :], codec)
            if decoded is None:
                return (
                    f"undecodable: starts with a {codec} byte-order mark but is not valid {codec}"
                )
            return _checked_text(decoded, codec, ["BOM"], suffix, named_as_text)
    if 0 in data:
        codec = _utf16_by_nul_pattern(data)
        decoded = _decode_strict_but_tail(data, codec) if codec else None
        if codec is None or decoded is None:
            return _binary_reason("contains NUL bytes (binary data)", suffix, named_as_text)
        return _checked_text(decoded, codec, ["no BOM"], suffix, named_as_text)
    decoded = _decode_strict_but_tail(data, "utf-8")
    if decoded is not None and not _dangling_byte_after_ascii(data, decoded):
        return _checked_text(decoded, "utf-8", [], suffix, named_as_text)
    if decoded is None:
        damaged = _decode_damaged_utf8(data)
        if damaged is not None:
            return _checked_text((damaged[0], False), "utf-8", [damaged[1]], suffix, named_as_text)
    return _decode_single_byte(data, suffix, named_as_text)


def _decode_strict_but_tail(data: bytes, codec: str) -> tuple[str, bool] | None:
    """(text, truncated): strict decoding that drops only an incomplete last character.

    None when the bytes are invalid anywhere else.
    """
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None
    pending_bytes = decoder.getstate()[0]
    return text, bool(pending_bytes)


def _dangling_byte_after_ascii(data: bytes, decoded: tuple[str, bool]) -> bool:
    """True when only one final non-ASCII byte cut UTF-8 short after pure-ASCII text."""
    text, truncated = decoded
    return truncated and len(text) == len(data) - 1 and text.isascii()


def _decode_damaged_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few bad bytes: (text with U+FFFD, note), when intact sequences dominate."""
    intact = len(UTF8_MULTIBYTE.findall(data))
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    if intact < 2 * replaced:
        return None
    plural = "" if replaced == 1 else "s"
    return text, f"{replaced} invalid byte sequence{plural} replaced"


def _utf16_by_nul_pattern(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on every other byte, as in mostly-ASCII UTF-16."""
    sample = data[:8192]
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    if odd_nuls >= pairs * 0.5 and even_nuls <= pairs * 0.05:
        return "utf-16-le"
    if even_nuls >= pairs * 0.5 and odd_nuls <= pairs * 0.05:
        return "utf-16-be"
    return None


def _decode_single_byte(data: bytes, suffix: str, named_as_text: bool) -> tuple[str, str] | str:
    """Windows-1252, else Latin-1, for bytes that look like mostly-ASCII text."""
    non_ascii = len(data) - len(data.translate(None, NON_ASCII_BYTES))
    if non_ascii > len(data) * MAX_NON_ASCII_SHARE_SINGLE_BYTE:
        return (
            "undecodable: not valid UTF-8, UTF-16 or UTF-32, and too many non-ASCII bytes "
            f"({non_ascii:,} of {len(data):,}) to be Windows-1252 or Latin-1 text"
        )
    try:
        text, codec = data.decode("windows-1252"), "windows-1252"
    except UnicodeDecodeError:
        text, codec = data.decode("latin-1"), "latin-1"
    return _checked_text((text, False), codec, [], suffix, named_as_text)


def _checked_text(
    decoded: tuple[str, bool], codec: str, notes: list[str], suffix: str, named_as_text: bool
) -> tuple[str, str] | str:
    """Reject decoded text full of control characters; else (text, 'codec (notes)')."""
    text, truncated = decoded
    if _mostly_control_characters(text):
        return _binary_reason("mostly control characters (binary data)", suffix, named_as_text)
    notes = [*notes, "truncated tail"] if truncated else notes
    return text, f"{codec} ({', '.join(notes)})" if notes else codec


def _mostly_control_characters(text: str) -> bool:
    """True when more than a few characters, and over MAX_CONTROL_SHARE, are control codes."""
    allowed = 4 + int(len(text) * MAX_CONTROL_SHARE)
    found = sum(1 for _ in islice(CONTROL_CHARS.finditer(text), allowed + 1))
    return found > allowed


def _binary_reason(detail: str, suffix: str, named_as_text: bool) -> str:
    """Reason text for binary content, calling out files named as text."""
    if named_as_text:
        return f"named {suffix} but not text: {detail}"
    return f"binary file, not text: {detail}"


def _reason_kind(reason: str) -> str:
    """Short code for a decoding rejection reason."""
    if reason.startswith("empty"):
        return "empty"
    if reason.startswith("named "):
        return "not_text"
    if reason.startswith("binary"):
        return "binary"
    return "undecodable"


# ---------------------------------------------------------------- duplicates


def find_duplicates(
    docs: Iterable[DecodedDocument], published: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map each copy's source_file to the file with the same bytes that is kept.

    `published` maps the published warehouse's files to their document ids: a file it holds
    with these bytes is kept, so a newcomer (a copy that sorts first, say) is the duplicate and
    facts never move. Otherwise the first file in sorted order is kept.
    """
    published = published or {}

    def kept_first(doc: DecodedDocument) -> tuple[bool, str]:
        return (published.get(doc.source_file) != doc.document_id, doc.source_file)

    first_by_id: dict[str, str] = {}
    duplicates: dict[str, str] = {}
    for doc in sorted(docs, key=kept_first):
        original = first_by_id.setdefault(doc.document_id, doc.source_file)
        if original != doc.source_file:
            duplicates[doc.source_file] = original
    return duplicates


def duplicate_reason(original_source_file: str) -> str:
    """Rejection reason for a later copy of `original_source_file`."""
    return f"same content as {original_source_file}"


def read_documents(discovery: Discovery) -> tuple[list[DecodedDocument], list[Rejection]]:
    """Read every candidate; later copies of the same bytes are rejected as duplicates."""
    decoded: list[DecodedDocument] = []
    rejections = list(discovery.rejections)
    for candidate in discovery.candidates:
        result = read_document(candidate.path, candidate.source_file)
        if isinstance(result, Rejection):
            rejections.append(result)
        else:
            decoded.append(result)
    duplicates = find_duplicates(decoded)
    kept = [doc for doc in decoded if doc.source_file not in duplicates]
    for copy, original in duplicates.items():
        rejections.append(Rejection(copy, duplicate_reason(original), "duplicate"))
    rejections.sort(key=lambda rejection: rejection.source_file)
    return kept, rejections

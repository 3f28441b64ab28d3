"""The manifest (`sources.csv`): what it says about each source file, read strictly.

`load_manifest` reads a CSV with a `file` column and optional `publisher`, `url`,
`published_date`; header names are matched case- and whitespace-insensitively, other columns are
listed in `Manifest.ignored_columns`. Dates are accepted as YYYY-MM-DD, d/m/YYYY (only when the day
and month cannot be swapped) or "26 April 2016". A row names its file by the path relative to the
source folder, or by base name when that name is unique in the whole source. Parsing is strict
and line by line (no value spans lines): an unterminated quote, a value over
MAX_MANIFEST_FIELD_CHARS, a repeated column, unknown or ambiguous files, bad dates or URLs and
repeated rows become warnings with their line numbers, and the other rows still apply. A manifest
over MAX_MANIFEST_BYTES is not read. A missing manifest is an empty one; an unreadable one adds a
warning.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path, PurePosixPath

from strikewatch.extract.dates import read_calendar_date
from strikewatch.ingest import (
    Manifest,
    ManifestEntry,
    Rejection,
    discover_files,
    is_candidate,
    read_document,
)

MANIFEST_COLUMNS = ("file", "publisher", "url", "published_date")
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
MAX_MANIFEST_FIELD_CHARS = 4096
MAX_MANIFEST_WARNINGS = 100
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def load_manifest(
    path: Path | None, known_files: set[str] | None, source_root: Path | None = None
) -> Manifest:
    """Read the manifest CSV for `known_files`; every problem becomes a warning, never an exception.

    Rows name a file by its path relative to the source folder, or by its base name when exactly
    one source file has that name. Given `source_root`, uniqueness is judged over every file of
    that folder, so a batch of files gets the same entries as the whole source would; there,
    `known_files` None means every file of the folder (the entries of a whole run, read once).
    """
    if known_files is None and source_root is None:
        raise ValueError("reading the entries of every file needs the source folder")
    lines = read_manifest_lines(path)
    if isinstance(lines, Manifest):
        return lines
    return lines.entries(known_files, source_root)


class ManifestLines:
    """A manifest read and cut into cells once, whose rows are then matched to source files,
    for a whole run or batch by batch (`entries`)."""

    def __init__(self, path: Path, label: str, header: list[str], manifest: Manifest) -> None:
        self.path, self.label, self.header = path, label, header
        self.read_problems = manifest  # warnings about the header and ignored columns
        self.rows: list[tuple[int, list[str] | str]] = []  # line number, cells or the problem
        self._by_name: dict[Path | None, dict[str, list[str]]] = {}

    def entries(
        self, known_files: set[str] | None, source_root: Path | None, only_known: bool = False
    ) -> Manifest:
        """The entries of `known_files` (None: every file of `source_root`) and the warnings.

        `only_known` skips the rows that cannot name a known file (neither its path nor, without
        a folder, its base name): the entries are the same, the warnings only of rows kept.
        """
        manifest = Manifest(
            warnings=list(self.read_problems.warnings),
            ignored_columns=list(self.read_problems.ignored_columns),
        )
        warnings = _CappedWarnings(manifest.warnings, self.label)
        index = _FileIndex(known_files or set(), source_root, self.path, self._by_name)
        file_column = self.header.index("file")
        base_names = {PurePosixPath(name).name for name in known_files or ()}
        first_line: dict[str, int] = {}
        for line_number, cells in self.rows:
            if only_known and known_files is not None:
                named = (
                    ""
                    if isinstance(cells, str) or len(cells) <= file_column
                    else cells[file_column]
                )
                named = _cleaned(named.strip())
                if named not in known_files and ("/" in named or named not in base_names):
                    continue
            if isinstance(cells, str):
                warnings.add(f"manifest {self.label} line {line_number}: {cells}; row ignored")
                continue
            entry = _manifest_row(
                warnings, self.label, line_number, self.header, cells, index, first_line
            )
            if entry is not None and (known_files is None or entry[0] in known_files):
                manifest.entries[entry[0]] = entry[1]
        warnings.close()
        return manifest


def read_manifest_lines(path: Path | None) -> ManifestLines | Manifest:
    """The manifest's lines cut into cells, or the (empty) Manifest when it cannot be used."""
    manifest = Manifest()
    if path is None:
        return manifest
    label = Path(path).name
    result = read_document(Path(path), label, limit=MAX_MANIFEST_BYTES)
    if isinstance(result, Rejection) and result.kind == "vanished":
        return manifest
    if isinstance(result, Rejection):
        manifest.warnings.append(f"manifest {label} ignored: {result.reason}")
        return manifest
    lines = iter(enumerate(LINE_BREAK.split(result.text), start=1))
    header_cells = _parse_manifest_line(next(lines)[1])
    if isinstance(header_cells, str):
        manifest.warnings.append(f"manifest {label} ignored: line 1: {header_cells}")
        return manifest
    header = [_column_name(name) for name in header_cells]
    if "file" not in header:
        manifest.warnings.append(
            f"manifest {label} ignored: no 'file' column in its first line "
            f"(expected columns: {', '.join(MANIFEST_COLUMNS)})"
        )
        return manifest
    manifest.ignored_columns = [name for name in header if name not in MANIFEST_COLUMNS]
    for name in MANIFEST_COLUMNS:
        if header.count(name) > 1:
            positions = [str(i) for i, column in enumerate(header, start=1) if column == name]
            manifest.warnings.append(
                f"manifest {label} line 1: column '{name}' appears {len(positions)} times "
                f"(columns {', '.join(positions)}); only the first is used"
            )
    read = ManifestLines(Path(path), label, header, manifest)
    for line_number, line in lines:
        if line.strip(" \t,"):
            read.rows.append((line_number, _parse_manifest_line(line)))
    return read


def _parse_manifest_line(line: str) -> list[str] | str:
    """The cells of one manifest line, or what is wrong with it.

    Values never span lines in a manifest, so each line is parsed on its own: a quote left open
    spoils that line only, instead of swallowing the rows after it.
    """
    try:
        rows = list(csv.reader([line], strict=True))
    except csv.Error as exc:
        message = str(exc)
        if "field limit" in message:
            return f"a value over {MAX_MANIFEST_FIELD_CHARS:,} characters"
        if "end of data" in message:
            return "unterminated quote (a value opens a quote and never closes it)"
        return f"not valid CSV ({message})"
    cells = rows[0] if rows else []
    if any(len(cell) > MAX_MANIFEST_FIELD_CHARS for cell in cells):
        return f"a value over {MAX_MANIFEST_FIELD_CHARS:,} characters"
    return cells


class _CappedWarnings:
    """Adds manifest warnings up to MAX_MANIFEST_WARNINGS, then counts the rest in one line."""

    def __init__(self, warnings: list[str], label: str) -> None:
        self.warnings, self.label, self.left_out = warnings, label, 0

    def add(self, warning: str) -> None:
        if len(self.warnings) < MAX_MANIFEST_WARNINGS:
            self.warnings.append(warning)
        else:
            self.left_out += 1

    def close(self) -> None:
        if self.left_out:
            self.warnings.append(
                f"manifest {self.label}: {self.left_out:,} more problems not listed"
            )


def _manifest_row(
    warnings: _CappedWarnings,
    label: str,
    line_number: int,
    header: list[str],
    row: list[str],
    index: _FileIndex,
    first_line: dict[str, int],
) -> tuple[str, ManifestEntry] | None:
    """(source_file, entry) for one valid manifest row; each problem is added to `warnings`."""
    where = f"manifest {label} line {line_number}"
    if len(row) > len(header):
        warnings.add(f"{where}: more values than columns; the extra values are ignored")
    cells: dict[str, str | None] = {}
    for name, value in zip(header, row, strict=False):
        cells.setdefault(name, value.strip() or None)
    named = cells.get("file")
    if named is None:
        warnings.add(f"{where}: no file name; row ignored")
        return None
    source_file, same_name = index.match(named)
    if source_file is None and len(same_name) > 1:
        warnings.add(
            f"{where}: '{named}' names {len(same_name)} source files "
            f"({', '.join(sorted(same_name)[:3])}{', ...' if len(same_name) > 3 else ''}); "
            "give its path in the source folder; row ignored"
        )
        return None
    if source_file is None:
        warnings.add(f"{where}: '{named}' is not among the source files; row ignored")
        return None
    if source_file in first_line:
        warnings.add(
            f"{where}: '{named}' is listed again (first on line {first_line[source_file]}); "
            "the first entry is kept"
        )
        return None
    first_line[source_file] = line_number
    published_date = None
    if cells.get("published_date"):
        published_date, problem = parse_manifest_date(cells["published_date"])
        if problem:
            warnings.add(f"{where} ('{named}'): {problem}; date left empty")
    url = cells.get("url")
    if url and not re.fullmatch(r"https?://\S+", url):
        warnings.add(f"{where} ('{named}'): url '{url}' is not a web address; ignored")
        url = None
    return source_file, ManifestEntry(cells.get("publisher"), url, published_date)


def _column_name(raw: str) -> str:
    """Header cell normalised: BOM and spaces trimmed, lower case, words joined by '_'."""
    return re.sub(r"[\s\-]+", "_", raw.strip().lstrip("\ufeff").strip().lower())


class _FileIndex:
    """Which source file a manifest name refers to.

    Without a source root, the known files are all the source files. With one, the known files
    are a batch of them, and names outside the batch are looked up in the folder itself: a path
    by asking whether discovery would list it, a base name by one walk of the folder, made only
    when some row needs it.
    """

    def __init__(
        self,
        known_files: set[str],
        source_root: Path | None = None,
        manifest: Path | None = None,
        by_name_of_root: dict[Path | None, dict[str, list[str]]] | None = None,
    ) -> None:
        self.paths = known_files
        self.root, self.manifest = source_root, manifest
        self.manifest_real = Path(manifest).resolve() if manifest else None
        self._by_name: dict[str, list[str]] | None = None
        # the folder's files by base name, kept by the caller for the next batch (one walk)
        self._by_name_of_root = by_name_of_root if source_root is not None else None

    def match(self, named: str) -> tuple[str | None, list[str]]:
        """(source_file, source files of that base name) for a manifest name.

        The source_file is the file at that path, else the one file with that base name, else
        None.
        """
        cleaned = _cleaned(named)
        if cleaned in self.paths or (self.root and is_candidate(self.root, cleaned, self.manifest)):
            return cleaned, [cleaned]
        same_name = self.by_name().get(cleaned, [])
        return (same_name[0] if len(same_name) == 1 else None), same_name

    def by_name(self) -> dict[str, list[str]]:
        if self._by_name is None and self._by_name_of_root is not None:
            self._by_name = self._by_name_of_root.get(self.root)
        if self._by_name is None:
            files = self.paths
            if self.root is not None:
                candidates = discover_files(self.root, self.manifest).candidates
                files = {candidate.source_file for candidate in candidates}
            self._by_name = {}
            for known in sorted(files):
                self._by_name.setdefault(PurePosixPath(known).name, []).append(known)
            if self._by_name_of_root is not None:
                self._by_name_of_root[self.root] = self._by_name
        return self._by_name


def _cleaned(named: str) -> str:
    """A manifest name as a source_file: forward slashes, no leading './'."""
    cleaned = named.replace("\\", "/")
    while cleaned.startswith("./"):
        cleaned = cleaned[2:]
    return cleaned


def parse_manifest_date(value: str) -> tuple[date | None, str | None]:
    """(date, None) for a clear date, or (None, why it was not accepted)."""
    day, problem = read_calendar_date(value)
    if problem == "ambiguous":
        return None, (
            f"published_date '{value}' is ambiguous (day/month or month/day?); use YYYY-MM-DD"
        )
    if problem == "not a date":
        return None, f"published_date '{value}' is not a real calendar date"
    if problem:
        return None, f"published_date '{value}' is not a date in a known form (use YYYY-MM-DD)"
    return day, None

"""What each source file looked like when it was last hashed, so a rerun reads only what changed.

A file is trusted unchanged when its (size, mtime_ns, inode, ctime_ns) equal those recorded when
its bytes were hashed for the published run; only a file whose stat differs is read. Its bytes
are hashed and kept as a snapshot in the build folder, which extraction reads instead of the
source: one read per file per run, and the facts come from exactly the bytes fingerprinted.

The record (`.NAME.file-state.json` beside the warehouse) belongs to one published run and one
source folder; for any other it is ignored, as it is with STRIKEWATCH_FULL_HASHING=1. A file
changed within RACY_SECONDS of its stat is not trusted next time: a write in the same clock tick
could leave its stat as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from strikewatch.atomic_file import replace_atomically
from strikewatch.settings import Settings

RACY_SECONDS = 1.0
Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns


def state_path_for(target: Path) -> Path:
    """The file-state record beside a warehouse."""
    return target.with_name(f".{target.name}.file-state.json")


def stat_of(path: Path) -> Stat | None:
    """(size, mtime_ns, inode, ctime_ns) of the file `path` leads to; None if it cannot be had."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def content_hash(data: bytes) -> str:
    """sha256 of a file's bytes: its document_id once decoded."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class FileStates:
    """source_file -> (stat, sha256) of files hashed for run `run_id` from folder `source`."""

    run_id: str = ""
    source: str = ""
    files: dict[str, tuple[Stat, str]] = field(default_factory=dict)

    def hash_if_unchanged(self, source_file: str, stat: Stat | None) -> str | None:
        """The recorded hash when the file's stat is the one recorded; else None."""
        known = self.files.get(source_file)
        return known[1] if known and stat is not None and known[0] == stat else None

    def trusted(self, seen_at_ns: int) -> FileStates:
        """Only the entries whose file had settled (no change within RACY_SECONDS) when seen."""
        settled = seen_at_ns - int(RACY_SECONDS * 1e9)
        return FileStates(
            self.run_id,
            self.source,
            {
                name: (stat, digest)
                for name, (stat, digest) in self.files.items()
                if max(stat[1], stat[3]) < settled
            },
        )

    def save(self, target: Path) -> None:
        """Write the record beside the warehouse, atomically."""
        data = {
            "run_id": self.run_id,
            "source": self.source,
            "files": {name: [*stat, digest] for name, (stat, digest) in self.files.items()},
        }
        text = json.dumps(data, separators=(",", ":"))
        replace_atomically(state_path_for(target), lambda partial: partial.write_text(text))


def load_file_states(target: Path, run_id: str | None, source: Path) -> FileStates:
    """The record of the published run `run_id` over `source`; empty when there is none that
    fits, or full hashing is asked for."""
    if not run_id or Settings().full_hashing:
        return FileStates()
    try:
        data = json.loads(state_path_for(target).read_text())
        if data["run_id"] != run_id or data["source"] != str(source):
            return FileStates()
        files = {
            name: ((int(a), int(b), int(c), int(d)), str(digest))
            for name, (a, b, c, d, digest) in data["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):  # missing or damaged: hash everything
        return FileStates()
    return FileStates(run_id, str(source), files)


def now_ns() -> int:
    """Wall-clock time in ns, the clock file times are stamped with."""
    return time.time_ns()

"""Files replaced in one step: a reader, or a run that stops half-way, sees the whole old file
or the whole new one, never part of either."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path


def replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Replace `target` by a file that `write` fills beside it (a name of this process and
    thread, so that concurrent writers do not share it); a failed write leaves `target` as it
    was and no partial file behind."""
    partial = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)

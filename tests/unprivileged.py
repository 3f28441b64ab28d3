"""Running code without root's power over permissions, for the permission cases.

CI runs as root, which reads and writes whatever the permissions say. A test of a permission
case therefore runs its code in a child process that drops to `nobody` first. The interpreter
may live under /root, which `nobody` cannot enter, so the child starts as root, imports what the
code needs, and only then drops its privileges.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

RUNNING_AS_ROOT = os.geteuid() == 0

_DROP = """
import os, pwd
if os.geteuid() == 0:
    nobody = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
"""


def run_unprivileged(
    imports: str, code: str, args: list[str], env: dict[str, str] | None = None, timeout=60
) -> subprocess.CompletedProcess[str]:
    """Run `imports` (as the current user), then `code` as `nobody` when running as root."""
    if RUNNING_AS_ROOT:
        try:
            pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("no 'nobody' user to drop privileges to")
    return subprocess.run(
        [sys.executable, "-c", f"import sys\n{imports}\n{_DROP}\n{code}", *args],
        capture_output=True, text=True, timeout=timeout, cwd="/", env=env or dict(os.environ),
    )  # fmt: skip


@contextmanager
def reachable_tmp() -> Iterator[Path]:
    """A temporary folder `nobody` can enter (pytest's tmp_path is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="strikewatch-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)

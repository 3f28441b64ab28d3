"""A deterministic synthetic corpus for the benchmark: seed paragraphs recombined into new articles.

Article i is the same in every corpus (its random generator is seeded by i), so the 1,000-article
corpus is the first thousand files of the 10,000-article one. Each article gets its own outlet,
byline, date and headline, 8-24 prose paragraphs drawn from the seeds, and every number, date
and minister's name in those paragraphs redrawn to fit the article, so no two files are alike.

    .venv/bin/python bench/make_corpus.py OUT_DIR --articles 1000
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS_SEED = 20160426

OUTLETS = [
    ("BBC News", "www.bbc.co.uk/news"),
    ("The Guardian", "www.theguardian.com/society"),
    ("The Independent", "www.independent.co.uk/news"),
    ("HuffPost UK", "www.huffingtonpost.co.uk/entry"),
    ("Sky News", "news.sky.com/story"),
    ("ITV News", "www.itv.com/news"),
    ("The Telegraph", "www.telegraph.co.uk/news"),
    ("The Times", "www.thetimes.com/uk/healthcare"),
    ("Evening Standard", "www.standard.co.uk/news"),
    ("Manchester Evening News", "www.manchestereveningnews.co.uk/news"),
    ("Yorkshire Post", "www.yorkshirepost.co.uk/health"),
    ("Birmingham Mail", "www.birminghammail.co.uk/news"),
    ("Liverpool Echo", "www.liverpoolecho.co.uk/news"),
    ("Nursing Times", "www.nursingtimes.net/news"),
    ("Pulse", "www.pulsetoday.co.uk/news"),
    ("NHS England", "www.england.nhs.uk/news"),
]
FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Eleanor", "Farah", "George", "Hannah", "Imran", "Joanna",
    "Kieran", "Lucy", "Marcus", "Nadia", "Owen", "Priya", "Rhys", "Sophie", "Tom", "Zara",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Barker", "Campbell", "Dhillon", "Evans", "Fletcher", "Gallagher", "Hughes",
    "Iqbal", "Jenkins", "Kowalski", "Lister", "Morgan", "Nolan", "Okafor", "Patel", "Quinn",
    "Rahman", "Sutton", "Turner", "Walsh", "Young",
]  # fmt: skip
# The health secretary a paragraph's "Jeremy Hunt" becomes, by the article's year.
SECRETARIES = {
    2016: "Jeremy Hunt",
    2023: "Steve Barclay",
    2024: "Victoria Atkins",
    2025: "Wes Streeting",
}
HEADLINES = [
    "Junior doctors begin {n}-day strike in pay dispute",
    "{count} operations postponed as doctors walk out",
    "Doctors' strike: what you need to know about the {n}-day walkout",
    "Hospitals brace for {count} cancelled appointments during strike",
    "Poll finds {pct}% of public back striking doctors",
    "BMA announces fresh strike dates after talks collapse",
    "Health secretary urges doctors to call off {n}-day strike",
    "Strike latest: {pct}% of junior doctors stayed away, NHS says",
    "NHS trusts reschedule {count} procedures after walkout",
    "Doctors on picket lines as talks remain deadlocked",
]
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}(?:am|pm)\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({'|'.join(MONTH_NAMES)})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NUMBER = re.compile(
    r"(?<![\w.,£$])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.,£$])\d+(?:\.\d+)?(?![\d.])"
)
PRIVATE_USE = 0xE000
_PLACEHOLDER = re.compile("[\ue000-\ue0ff]")
_PROSE_END = re.compile(r"[.!?\"'”’)]\s*$")


@dataclass(frozen=True)
class Article:
    """One synthetic article and its manifest entry."""

    source_file: str
    text: str
    publisher: str
    url: str
    published_date: date


def seed_paragraphs() -> list[str]:
    """Prose lines of the seed articles: whole sentences, not page furniture or timestamps."""
    from strikewatch.documents import find_boilerplate
    from strikewatch.textnorm import normalize

    pool: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        norm = normalize(text)
        spans = find_boilerplate(norm)
        offset = 0
        for line in text.split("\n"):
            start, offset = offset, offset + len(line) + 1
            stripped = line.strip()
            if any(a < start + len(line) and start < b for a, b in spans):
                continue
            if len(stripped) < 80 or not _PROSE_END.search(stripped):
                continue
            if "published at" in stripped or _CLOCK.match(stripped):
                continue
            pool.append(stripped)
    return list(dict.fromkeys(pool))


def _redraw_number(rng: random.Random, token: str) -> str:
    """Another number of the same shape and size as `token`."""
    if "," in token:
        value = int(token.replace(",", ""))
        return f"{max(1000, round(value * rng.uniform(0.5, 1.6))):,}"
    if "." in token:
        return f"{float(token) * rng.uniform(0.7, 1.3):.{len(token.split('.')[1])}f}"
    value = int(token)
    if value <= 100:
        return str(rng.randint(max(1, value // 2), min(99, value + value // 2 + 3)))
    return str(round(value * rng.uniform(0.5, 1.6)))


def _vary(paragraph: str, rng: random.Random, day: date) -> str:
    """The paragraph with its numbers, dates, years and minister fitted to this article."""
    protected: list[str] = []
    text = _CLOCK.sub(lambda m: _hide(m.group(0), protected), paragraph)
    text = _DAY_MONTH.sub(lambda m: _hide(_shifted_day(rng, day), protected), text)
    text = _YEAR.sub(lambda m: _hide(str(day.year), protected), text)
    text = _NUMBER.sub(lambda m: _redraw_number(rng, m.group(0)), text)
    secretary = SECRETARIES[day.year]
    text = re.sub(r"\bJeremy Hunt\b", secretary, text)
    text = re.sub(r"\bHunt\b", secretary.split()[-1], text)
    if secretary == "Victoria Atkins":
        text = text.replace("Mr Atkins", "Ms Atkins")
    return _PLACEHOLDER.sub(lambda m: protected[ord(m.group(0)) - PRIVATE_USE], text)


def _hide(value: str, protected: list[str]) -> str:
    """A one-character placeholder (no digits) for text later substitutions must not touch."""
    protected.append(value)
    return chr(PRIVATE_USE + len(protected) - 1)


def _shifted_day(rng: random.Random, day: date) -> str:
    shifted = day + timedelta(days=rng.randint(-10, 14))
    return f"{shifted.day} {MONTH_NAMES[shifted.month - 1]}"


def _article_date(rng: random.Random) -> date:
    year = rng.choice(list(SECRETARIES))
    start = date(year, 1, 5)
    return start + timedelta(days=rng.randint(0, 340))


def make_article(index: int, pool: list[str]) -> Article:
    """Article number `index`; the same index always gives the same article."""
    rng = random.Random(f"{CORPUS_SEED}-{index}")
    publisher, site = rng.choice(OUTLETS)
    day = _article_date(rng)
    doctors = "resident doctors" if day.year == 2025 and rng.random() < 0.6 else "junior doctors"
    headline = rng.choice(HEADLINES).format(
        n=rng.choice([2, 3, 4, 5]),
        count=f"{rng.randint(2, 120) * 500:,}",
        pct=rng.randint(35, 80),
    )
    headline = headline.replace("junior doctors", doctors).replace(
        "Junior doctors", doctors.capitalize()
    )
    authors = " and ".join(
        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.choice([1, 1, 2]))
    )
    hour, minute = rng.randint(6, 22), rng.choice(range(0, 60, 3))
    zone = "BST" if 4 <= day.month <= 9 else "GMT"
    paragraphs = [
        _vary(p, rng, day).replace("junior doctors", doctors)
        for p in rng.sample(pool, rng.randint(8, 24))
    ]
    lines = [
        headline,
        "",
        f"By {authors}",
        f"{WEEKDAYS[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year} "
        f"{hour:02d}:{minute:02d} {zone}",
        "",
        *[line for paragraph in paragraphs for line in (paragraph, "")],
    ]
    slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")
    source_file = f"{day.year}/{index:06d}_{slug[:40]}.txt"
    return Article(source_file, "\n".join(lines), publisher, f"https://{site}/{slug}-{index}", day)


def write_corpus(out_dir: Path, articles: int, first: int = 0) -> list[Article]:
    """Write articles first..first+articles-1 and a sources.csv manifest; all files distinct."""
    pool = seed_paragraphs()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [make_article(index, pool) for index in range(first, first + articles)]
    digests = {hashlib.sha256(a.text.encode()).hexdigest() for a in written}
    if len(digests) != len(written):
        raise RuntimeError("two synthetic articles came out identical")
    for article in written:
        path = out_dir / article.source_file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article.text, encoding="utf-8")
    write_manifest(out_dir, written)
    return written


def write_manifest(out_dir: Path, articles: list[Article]) -> None:
    """Append the articles to OUT_DIR/sources.csv (created with a header when missing)."""
    manifest = out_dir / "sources.csv"
    new = not manifest.exists()
    with manifest.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["file", "publisher", "url", "published_date"])
        for a in articles:
            writer.writerow([a.source_file, a.publisher, a.url, a.published_date.isoformat()])


def main() -> None:
    """Command line: write a corpus of N articles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    written = write_corpus(args.out_dir, args.articles)
    size = sum(len(a.text.encode()) for a in written)
    print(f"wrote {len(written)} articles ({size / 1e6:.1f} MB) to {args.out_dir}")


if __name__ == "__main__":
    main()

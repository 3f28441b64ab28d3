"""Fact extraction: pure functions from raw text to fact mentions with offsets.

Contract (the pipeline relies on it):
    extract_facts(text, published_date, skip_spans) -> {table: [fact, ...]}
where table is one of FACT_TYPES and each fact is a dict holding `char_start`,
`char_end` (into `text`, so text[char_start:char_end] is the verbatim evidence)
and the table's own columns as `schemas/tables.py` defines them (not the
columns the pipeline adds: fact_id, article_id, source_file, post_id,
evidence, extractor_version, poll_id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

EXTRACTOR_VERSION = "0.2.1"

FACT_TYPES = (
    "poll_results",
    "cancellations",
    "attendance",
    "strike_actions",
    "quotes",
    "other_figures",
)

from strikewatch.extract.attendance import extract_attendance  # noqa: E402
from strikewatch.extract.cancellations import extract_cancellations  # noqa: E402
from strikewatch.extract.other_figures import extract_other_figures  # noqa: E402
from strikewatch.extract.polls import extract_polls  # noqa: E402
from strikewatch.extract.quotes import extract_quotes  # noqa: E402
from strikewatch.extract.strikes import extract_strikes  # noqa: E402


def _covered_strike_days(
    strikes: list[dict], published_date: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    """First and last day of the held strike the article reports on (the one it was published
    during, else the latest before publication); None when there is none."""
    if published_date is None:
        return None
    held = [s for s in strikes if s["status"] == "held" and s["starts_at"].date() <= published_date]
    if not held:
        return None
    latest = max(held, key=lambda s: s["starts_at"])
    last = latest["ends_at"] - dt.timedelta(minutes=1) if latest["ends_at"] else latest["starts_at"]
    return latest["starts_at"].date(), max(last.date(), latest["starts_at"].date())


def extract_facts(
    text: str, published_date: dt.date | None, skip_spans: Sequence[tuple[int, int]] = ()
) -> dict[str, list[dict]]:
    """Every fact the text states, by table; no fact starts inside a skip span."""
    strikes = extract_strikes(text, published_date, skip_spans)
    cancellations = extract_cancellations(
        text,
        published_date,
        skip_spans,
        default_period=_covered_strike_days(strikes, published_date),
    )
    attendance = extract_attendance(text, published_date, skip_spans)
    polls = extract_polls(text, published_date, skip_spans)
    claimed = [(f["char_start"], f["char_end"]) for f in (*cancellations, *attendance, *polls)]
    facts = {
        "poll_results": polls,
        "cancellations": cancellations,
        "attendance": attendance,
        "strike_actions": strikes,
        "quotes": extract_quotes(text, published_date, skip_spans),
        "other_figures": extract_other_figures(text, published_date, skip_spans, claimed),
    }
    return {
        table: [f for f in found if not _starts_in_any(skip_spans, f["char_start"])]
        for table, found in facts.items()
    }


def _starts_in_any(spans: Sequence[tuple[int, int]], position: int) -> bool:
    """Whether position falls inside any [start, end) span."""
    return any(start <= position < end for start, end in spans)

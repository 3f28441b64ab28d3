"""What period a clause describes, and which of its dates only date a statement.

resolve_period(doc, start, end, ignore) -> Period | None
    The start (and end, if stated) of the one period text[start:end] describes, from the
    analysis' dates, times and durations: "from 8am on 26 January" -> 26 January 08:00
    (minute precision); "from 7am on 27 June to 7am on 2 July"; "from 8am to 5pm on Tuesday
    and again on Wednesday"; a 48-hour stoppage from a start gets its end. A clause with
    clock times and no day is taken to mean the published date.
statement_date_spans(doc, sentence, linked) -> spans
    Dates of the sentence that date a statement ("told the BBC on Monday that ...").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from strikewatch.extract.analysis import Analysis, Sentence

_SENTENCE_OPENER = re.compile(r"(?i:(?:earlier\s+|later\s+)?on)?\s*$")
MAX_STRIKE_HOURS = 168  # durations longer than a week do not give a strike its end


@dataclass(frozen=True)
class Period:
    """Start and end of the period a clause describes (local time, naive)."""

    starts_at: dt.datetime
    start_precision: str  # "minute", "day" or "month"
    ends_at: dt.datetime | None


def _at(day: dt.date, clock: dt.time | None) -> dt.datetime:
    """A day at a time of day (midnight when none is given)."""
    return dt.datetime.combine(day, clock or dt.time(0))


def _inside(spans: Sequence[tuple[int, int]], position: int) -> bool:
    return any(left <= position < right for left, right in spans)


def resolve_period(
    doc: Analysis, start: int, end: int, ignore: Sequence[tuple[int, int]] = ()
) -> Period | None:
    """The period doc.text[start:end] describes; dates starting in `ignore` spans are left out."""
    published = doc.published
    dates = [
        d
        for d in doc.dates_in(start, end)
        if d.precision != "year" and not _inside(ignore, d.char_start)
    ]
    times = [t for t in doc.times_in(start, end) if not _inside(ignore, t.char_start)]
    if any(d.precision == "day" for d in dates):  # "last month's strike, from 13 to 16 March"
        dates = [d for d in dates if d.precision == "day"]
    if not dates and not (times and published):
        return None
    first_day = dates[0].start if dates else published
    last_day = (dates[-1].end or dates[-1].start) if dates else published
    assert first_day is not None and last_day is not None
    if (
        last_day < first_day <= last_day + dt.timedelta(days=6)
        and dates
        and doc.has("weekdays", dates[-1].char_start, dates[-1].char_end)
    ):
        last_day += dt.timedelta(days=7)  # "from today until Saturday": the Saturday after
    if dates and dates[0].precision == "month":
        return Period(_at(first_day, None), "month", None)
    if not times:
        ends_at = _at(dates[0].end, None) if dates[0].end else None
        starts_at, precision = _at(first_day, None), "day"
    else:
        starts_at, precision = _at(first_day, times[0].start), "minute"
        if times[0].end is not None:
            ends_at = _at(last_day, times[0].end)
        elif len(times) > 1 and len(dates) > 1:
            ends_at = _at(last_day, times[-1].start)
        else:
            ends_at = None
    if ends_at is None:
        durations = [d for d in doc.durations_in(start, end) if d.hours <= MAX_STRIKE_HOURS]
        if durations:
            ends_at = starts_at + dt.timedelta(hours=durations[0].hours)
    if ends_at is not None and ends_at <= starts_at:
        ends_at = None
    return Period(starts_at, precision, ends_at)


def statement_date_spans(
    doc: Analysis, sentence: Sentence, linked: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """Spans of the sentence's dates and times that date a statement, not what it reports.

    "told the BBC on Monday that", "announced yesterday that" and "On Monday, NHS England said"
    date the saying. A date with a `linked` thing (the reported thing) between it and the
    reporting verb dates that thing instead and is kept out of the result.
    """
    begin, stop = sentence.start, sentence.end
    mentions = [(d.char_start, d.char_end) for d in doc.dates_in(begin, stop)]
    mentions += [(t.char_start, t.char_end) for t in doc.times_in(begin, stop)]
    spans = []
    for start, end in mentions:
        verb = doc.last("reporting_verbs", max(begin, start - 60), start)
        if verb and not linked(verb.end, start):
            spans.append((start, end))
            continue
        verb_after = doc.first("reporting_verbs", end, min(stop, end + 70))
        if (
            _SENTENCE_OPENER.fullmatch(doc.norm, begin, start)
            and doc.norm.startswith(",", end)
            and verb_after
            and not linked(end, verb_after.start)
        ):
            spans.append((start, end))
    return spans

"""UK-style dates, clock times and durations, resolved against an article's published date.

API:
    find_dates(text, published, start=0, end=None) -> list[DateMention]
        "today", "yesterday", "this morning", "on Monday", "Tuesday 26 January", "1 December",
        "26 to 28 January" (a range), "December 15 & 20 2022" (two dates), "in March",
        "the start of the year", "26/04/2016". A mention that cannot be resolved for certain
        (no published date to anchor it, "May" the surname) is left out, never guessed.
    find_times(text, start=0, end=None) -> list[TimeMention]
        "8am", "8.15am", "08:00", "17:00 BST", "noon", ranges "8am to 5pm", "between 08:00 and
        17:00".
    find_durations(text, start=0, end=None) -> list[DurationMention]
        "48-hour", "24 hours", "two days".
    resolve_period(text, published, start=0, end=None) -> Period | None
        The start (and end, if stated) of the one period a clause describes, combining the
        above: "from 8am on 26 January" -> 2016-01-26 08:00 (minute precision);
        "from 7am on 27 June to 7am on 2 July"; "from 8am to 5pm on Tuesday and again on
        Wednesday"; a 48-hour stoppage from a start gets its end. A clause with clock times and
        no day is taken to mean the published date.

Resolution rules:
    - A day and month without a year takes the year that puts it nearest the published date
      (so "1 December" in a January article is last December).
    - A month alone ("in March") likewise takes the nearest year.
    - A bare weekday ("on Monday") is the nearest such day to the published date, within three
      days either side, the published day itself when it is that weekday; "last Monday" is the
      most recent one before, "next Monday" the first one after.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from strikewatch.extract.numbers import parse_number
from strikewatch.extract.scanning import WORD, finditer_at

MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
    "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = (
    "(?:(?:"
    + "|".join(m for m in MONTHS if len(m) > 4 or m in ("May", "June", "July"))
    + r")\b|(?:"
    + "|".join(m for m in MONTHS if len(m) <= 4 and m not in ("May", "June", "July"))
    + r")\b\.?)"
)
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"
_ORD = r"(?:st|nd|rd|th)?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_YEAR = r"(?:19|20)\d\d"
_RANGE_SEP = r"(?:-|–|—|to|until|till)"
_LIST_SEP = r"(?:and|&|,)"

_DATE = re.compile(
    rf"\b(?:(?<![\d/])(?P<n_day>{_DAY})/(?P<n_month>0?[1-9]|1[0-2])/(?P<n_year>(?:19|20)?\d\d)(?![\d/])"
    rf"|(?:(?:{_WEEKDAY}),?[^\S\n]+)?(?:the[^\S\n]+)?(?<![\d,.])(?P<d1>{_DAY}){_ORD}"
    rf"(?:[^\S\n]*(?P<sep1>{_RANGE_SEP}|{_LIST_SEP})[^\S\n]*(?:{_WEEKDAY},?[^\S\n]+)?(?:the[^\S\n]+)?(?P<d1b>{_DAY}){_ORD})?"
    rf"(?:[^\S\n]+of)?[^\S\n]+(?P<m1>{_MONTH})(?:,?[^\S\n]+(?P<y1>{_YEAR})(?!\d))?"
    rf"|(?:(?:{_WEEKDAY}),?[^\S\n]+)?(?P<m2>{_MONTH})[^\S\n]+(?P<d2>{_DAY}){_ORD}(?![\d:.])"
    rf"(?:[^\S\n]*(?P<sep2>{_RANGE_SEP}|{_LIST_SEP})[^\S\n]*(?P<d2b>{_DAY}){_ORD}(?![\d:.]))?"
    rf"(?:,?[^\S\n]+(?P<y2>{_YEAR})(?!\d))?"
    rf"|(?:(?P<mprep>(?i:in|during|since|from|until|till|by|of|early|late|mid-?|end[^\S\n]+of"
    rf"|start[^\S\n]+of|beginning[^\S\n]+of|last|next|this))[^\S\n]+)?(?P<m3>{_MONTH})(?:[^\S\n]+(?P<y3>{_YEAR})(?!\d))?"
    rf"|(?i:in|since|during|by|until)[^\S\n]+(?P<y4>{_YEAR})(?![\d/-])"
    rf"|(?:(?P<wrel>(?i:last|next|this|on|from|until|by))[^\S\n]+)?(?P<wd>{_WEEKDAY})"
    r"(?:[^\S\n]+(?:morning|afternoon|evening|night))?"
    r"|(?i:(?P<rel>today(?![^\S\n]+programme)|tonight|yesterday|tomorrow|this[^\S\n]+(?:morning|afternoon|evening)"
    r"|last[^\S\n]+night|(?:the[^\S\n]+)?(?:start|beginning)[^\S\n]+of[^\S\n]+(?:the|this)[^\S\n]+year"
    r"|earlier[^\S\n]+this[^\S\n]+year|(?:the[^\S\n]+)?end[^\S\n]+of[^\S\n]+(?:the|this)[^\S\n]+year|this[^\S\n]+year|last[^\S\n]+year"
    r"|next[^\S\n]+year|this[^\S\n]+month|last[^\S\n]+month|next[^\S\n]+month|earlier[^\S\n]+this[^\S\n]+month))\b)"
)
_TIME = re.compile(
    r"(?<![\d:.£$])(?P<h>1[0-2]|0?\d)(?:[:.](?P<mi>[0-5]\d))?\s?(?P<ampm>(?i:am|pm|a\.m\.|p\.m\.))"
    r"(?![a-z])"
    r"|(?<![\d:.£$])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])(?:\s?(?:BST|GMT))?"
    r"|\b(?P<word>(?i:noon|midday|midnight))\b"
)
# Where a time can begin: a run of digits or a word for noon or midnight.
_TIME_START = re.compile(r"\d+|(?i:noon|midday|midnight)")
_TIME_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till|and)\s*$")
_DATE_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till)\s*$")
_DURATION = re.compile(
    r"(?<![\w.,])(?P<n>\d{1,3}|one|two|three|four|five|six|seven|ten|twelve|twenty-four"
    r"|forty-eight|seventy-two)[\s-](?P<unit>hour|day|week)s?\b",
    re.IGNORECASE,
)
_UNIT_HOURS = {"hour": 1, "day": 24, "week": 168}


@dataclass(frozen=True)
class DateMention:
    """A date in the text; `end` is the last day of a stated range."""

    start: dt.date
    end: dt.date | None
    precision: str  # "day", "month" or "year"
    char_start: int
    char_end: int


@dataclass(frozen=True)
class TimeMention:
    """A clock time, or a range of two, in the text."""

    start: dt.time
    end: dt.time | None
    char_start: int
    char_end: int


@dataclass(frozen=True)
class DurationMention:
    """A length of time ("48-hour") in hours."""

    hours: float
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Period:
    """Start and end of the period a clause describes (UK local, naive)."""

    starts_at: dt.datetime
    start_precision: str  # "minute", "day" or "month"
    ends_at: dt.datetime | None


_Mention = DateMention | TimeMention


def _nearest_year(month: int, day: int, published: dt.date) -> dt.date | None:
    """The day/month in the year that puts it nearest the published date."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - published).days), default=None)


def _day_month(day: str, month: str, year: str | None, published: dt.date | None) -> dt.date | None:
    """A day of a month, in the stated year or the one nearest the published date."""
    month_number = MONTHS[month.rstrip(".")]
    if year:
        try:
            return dt.date(int(year), month_number, int(day))
        except ValueError:
            return None
    return _nearest_year(month_number, int(day), published) if published else None


def _weekday(name: str, relation: str | None, published: dt.date) -> dt.date:
    """The weekday nearest the published date, or the one before/after for last/next."""
    offset = (WEEKDAYS.index(name) - published.weekday()) % 7
    relation = (relation or "").lower()
    if relation == "last":
        return published - dt.timedelta(days=(7 - offset) or 7)
    if relation == "next":
        return published + dt.timedelta(days=offset or 7)
    return published + dt.timedelta(days=offset if offset <= 3 else offset - 7)


def _relative(phrase: str, published: dt.date) -> tuple[dt.date, str]:
    """A relative phrase ("yesterday", "the start of the year") as a date and precision."""
    phrase = re.sub(r"\s+", " ", phrase.lower())
    if phrase in ("yesterday", "last night"):
        return published - dt.timedelta(days=1), "day"
    if phrase == "tomorrow":
        return published + dt.timedelta(days=1), "day"
    if phrase.endswith("year"):
        if "start" in phrase or "beginning" in phrase:
            return dt.date(published.year, 1, 1), "month"
        if "end" in phrase:
            return dt.date(published.year, 12, 1), "month"
        shift = {"last": -1, "next": 1}.get(phrase.split()[0], 0)
        return dt.date(published.year + shift, 1, 1), "year"
    if phrase.endswith("month"):
        shift = {"last": -1, "next": 1}.get(phrase.split()[0], 0)
        months = published.year * 12 + published.month - 1 + shift
        return dt.date(months // 12, months % 12 + 1, 1), "month"
    return published, "day"


def _month_only(match: re.Match[str], published: dt.date | None) -> dt.date | None:
    """A month named alone ("in March", "March 2016") as its first day, or None."""
    month_number = MONTHS[match["m3"].rstrip(".")]
    if match["y3"]:
        return dt.date(int(match["y3"]), month_number, 1)
    if not match["mprep"] or published is None:
        return None  # a bare capitalised "May" or "March" is too often a name or a verb
    relation = match["mprep"].lower()
    this_year = dt.date(published.year, month_number, 1)
    month_start = dt.date(published.year, published.month, 1)
    if relation == "last" and this_year >= month_start:
        return dt.date(published.year - 1, month_number, 1)
    if relation == "next" and this_year <= month_start:
        return dt.date(published.year + 1, month_number, 1)
    if relation in ("last", "next", "this"):
        return this_year
    return _nearest_year(month_number, 1, published)


def _resolve(
    match: re.Match[str], published: dt.date | None
) -> list[tuple[dt.date, dt.date | None, str]]:
    """(start, end, precision) of each date a match denotes; empty when unresolvable."""
    if match["n_day"]:
        year = int(match["n_year"]) + (2000 if len(match["n_year"]) == 2 else 0)
        try:
            return [(dt.date(year, int(match["n_month"]), int(match["n_day"])), None, "day")]
        except ValueError:
            return []
    if match["m1"] or match["m2"]:
        month = match["m1"] or match["m2"]
        first, second = (match["d1"], match["d1b"]) if match["m1"] else (match["d2"], match["d2b"])
        separator = match["sep1"] or match["sep2"]
        year = match["y1"] or match["y2"]
        start = _day_month(first, month, year, published)
        if start is None:
            return []
        if not second:
            return [(start, None, "day")]
        other = _day_month(second, month, str(start.year), published)
        if other is None or other < start:
            return []
        if re.fullmatch(_RANGE_SEP, separator):
            return [(start, other, "day")]
        return [(start, None, "day"), (other, None, "day")]
    if match["m3"]:
        month_start = _month_only(match, published)
        return [(month_start, None, "month")] if month_start else []
    if match["y4"]:
        return [(dt.date(int(match["y4"]), 1, 1), None, "year")]
    if published is None:
        return []
    if match["wd"]:
        return [(_weekday(match["wd"], match["wrel"], published), None, "day")]
    day, precision = _relative(match["rel"], published)
    return [(day, None, precision)]


# Lower-case words a date can open with; other dates open with a digit or a capital letter.
_DATE_FIRST_WORDS = frozenset(
    {
        "in", "during", "since", "from", "until", "till", "by", "of", "early", "late", "mid",
        "end", "start", "beginning", "last", "next", "this", "on", "today", "tonight",
        "yesterday", "tomorrow", "the", "earlier",
    }
)  # fmt: skip


def _date_starts(text: str) -> list[int]:
    """Where _DATE may match: at words that are not lower case or are in _DATE_FIRST_WORDS."""
    # Case-folding lets a few non-ASCII letters match ASCII ones, so those words are tried too.
    return [
        word.start()
        for word in WORD.finditer(text)
        if not word[0][0].islower() or word[0].lower() in _DATE_FIRST_WORDS or not word[0].isascii()
    ]


@functools.lru_cache(maxsize=8)
def _all_dates(text: str, published: dt.date | None) -> tuple[DateMention, ...]:
    """Every date of a text; cached so that extractors reading one article share a scan."""
    mentions: list[DateMention] = []
    weekday_before: DateMention | None = None  # a bare weekday just matched ("on Wednesday")
    for match in finditer_at(_DATE, text, _date_starts(text)):
        for day, last_day, precision in _resolve(match, published):
            mention = DateMention(day, last_day, precision, match.start(), match.end())
            previous = mentions[-1] if mentions else None
            gap = text[previous.char_end : match.start()] if previous else ""
            if (
                previous is weekday_before
                and previous
                and precision == "day"
                and not gap.strip(" ,")
            ):
                # "on Wednesday 14 June": the stated date, not the nearest Wednesday
                mention = DateMention(day, last_day, "day", previous.char_start, match.end())
                mentions.pop()
            elif (
                previous
                and previous.end is None
                and precision == previous.precision == "day"
                and _DATE_RANGE_GAP.fullmatch(gap)
                and day > previous.start
            ):
                mention = DateMention(previous.start, day, "day", previous.char_start, match.end())
                mentions.pop()
            mentions.append(mention)
            weekday_before = mention if match.group("wd") else None
    return tuple(mentions)


def _within(mentions: Sequence[_Mention], start: int, end: int | None, text: str) -> list:
    """The mentions that start in text[start:end] (mentions sorted by start)."""
    stop = len(text) if end is None else end
    low = bisect.bisect_left(mentions, start, key=_start_of)
    return list(mentions[low : bisect.bisect_left(mentions, stop, key=_start_of)])


def _start_of(mention: _Mention) -> int:
    """Sort key: where a mention starts."""
    return mention.char_start


def find_dates(
    text: str, published: dt.date | None, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Dates starting in text[start:end], resolved against the published date."""
    return _within(_all_dates(text, published), start, end, text)


def _clock(match: re.Match[str]) -> dt.time:
    """The time of day a time match denotes."""
    if match["word"]:
        return dt.time(0) if match["word"].lower() == "midnight" else dt.time(12)
    if match["h24"]:
        return dt.time(int(match["h24"]), int(match["m24"]))
    hour = int(match["h"]) % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    return dt.time(hour, int(match["mi"] or 0))


@functools.lru_cache(maxsize=8)
def _all_times(text: str) -> tuple[TimeMention, ...]:
    """Every clock time and time range of a text, cached like _all_dates."""
    mentions: list[TimeMention] = []
    starts = (match.start() for match in _TIME_START.finditer(text))
    for match in finditer_at(_TIME, text, starts):
        clock = _clock(match)
        previous = mentions[-1] if mentions else None
        if previous and previous.end is None:
            gap = text[previous.char_end : match.start()]
            before = text[max(0, previous.char_start - 8) : previous.char_start]
            if _TIME_RANGE_GAP.fullmatch(gap) and (
                not gap.strip().startswith("and") or before.lower().rstrip().endswith("between")
            ):
                mentions[-1] = TimeMention(previous.start, clock, previous.char_start, match.end())
                continue
        mentions.append(TimeMention(clock, None, match.start(), match.end()))
    return tuple(mentions)


def find_times(text: str, start: int = 0, end: int | None = None) -> list[TimeMention]:
    """Clock times and time ranges starting in text[start:end]."""
    return _within(_all_times(text), start, end, text)


def find_durations(text: str, start: int = 0, end: int | None = None) -> list[DurationMention]:
    """Stated lengths of time starting in text[start:end], in hours."""
    stop = len(text) if end is None else end
    found = []
    for match in _DURATION.finditer(text, start, stop):
        count = parse_number(match["n"].replace("-", " "))
        if count:
            hours = count * _UNIT_HOURS[match["unit"].lower()]
            found.append(DurationMention(hours, match.start(), match.end()))
    return found


def _at(day: dt.date, clock: dt.time | None) -> dt.datetime:
    """A day at a time of day (midnight when none is given)."""
    return dt.datetime.combine(day, clock or dt.time(0))


def resolve_period(
    text: str,
    published: dt.date | None,
    start: int = 0,
    end: int | None = None,
    ignore: Sequence[tuple[int, int]] = (),
) -> Period | None:
    """The period text[start:end] describes: start, its precision, and end when stated.

    Dates and times that start inside an `ignore` span (a statement's own date) are left out.
    """

    def kept(char_start: int) -> bool:
        return not any(left <= char_start < right for left, right in ignore)

    dates = [
        d
        for d in find_dates(text, published, start, end)
        if d.precision != "year" and kept(d.char_start)
    ]
    times = [t for t in find_times(text, start, end) if kept(t.char_start)]
    if any(d.precision == "day" for d in dates):  # "last month's strike, from 13 to 16 March"
        dates = [d for d in dates if d.precision == "day"]
    if not dates and not (times and published):
        return None
    first_day = dates[0].start if dates else published
    last_day = (dates[-1].end or dates[-1].start) if dates else published
    assert first_day is not None and last_day is not None
    if last_day < first_day <= last_day + dt.timedelta(days=6) and re.search(
        _WEEKDAY, text[dates[-1].char_start : dates[-1].char_end]
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
        durations = find_durations(text, start, end)
        if durations:
            ends_at = starts_at + dt.timedelta(hours=durations[0].hours)
    if ends_at is not None and ends_at <= starts_at:
        ends_at = None
    return Period(starts_at, precision, ends_at)


_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|announced|reported|confirmed|wrote|writes|urged|appealed"
    r"|added|asked|warned|claimed|insisted|revealed|stressed|tweeted|responded|published)\b",
    re.IGNORECASE,
)
_SENTENCE_OPENER = re.compile(r"(?i:(?:earlier\s+|later\s+)?on)?\s*$")


def statement_date_spans(
    text: str, sentence: tuple[int, int], published: dt.date | None, linked: re.Pattern[str]
) -> list[tuple[int, int]]:
    """Spans of the sentence's dates and times that date a statement, not what it reports.

    "told the BBC on Monday that", "announced yesterday that" and "On Monday, NHS England said"
    date the saying. A date with a `linked` match (the reported thing) between it and the
    reporting verb dates that thing instead and is kept out of the result.
    """
    begin, stop = sentence
    mentions = [(d.char_start, d.char_end) for d in find_dates(text, published, begin, stop)]
    mentions += [(t.char_start, t.char_end) for t in find_times(text, begin, stop)]
    spans = []
    for start, end in mentions:
        window = max(begin, start - 60)
        verbs = list(_REPORTING.finditer(text, window, start))
        if verbs and not linked.search(text, verbs[-1].end(), start):
            spans.append((start, end))
            continue
        verb_after = _REPORTING.search(text, end, min(stop, end + 70))
        if (
            _SENTENCE_OPENER.fullmatch(text, begin, start)
            and text.startswith(",", end)
            and verb_after
            and not linked.search(text, end, verb_after.start())
        ):
            spans.append((start, end))
    return spans

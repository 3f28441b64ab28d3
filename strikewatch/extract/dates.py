"""The calendar grammar: dates, clock times and durations as English news writes them.

One grammar for the whole product: the extractors read a text's mentions through the document
analysis, the document layer reads datelines with `read_dateline`, and the manifest reads its
dates with `read_calendar_date`. Month, weekday, zone and relative-date words come from the
lexicon (calendar.toml).

    scan_dates(text, published, word_starts) -> tuple[DateMention, ...]
        "today", "yesterday", "on Monday", "Tuesday 26 January", "1 December", "26 to 28 January"
        (a range), "March 6 & 9 2024" (two dates), "in March", "the start of the year",
        "26/04/2016". A mention that cannot be resolved for certain (no published date to anchor
        it, "May" the surname) is left out, never guessed.
    scan_times(text) -> tuple[TimeMention, ...]
        "8am", "8.15am", "08:00", "17:00 BST", "noon", ranges "8am to 5pm", "between 08:00 and
        17:00".
    scan_durations(text) -> tuple[DurationMention, ...]
        "48-hour", "24 hours", "two days".

Resolution rules:
    - A day and month without a year takes the year that puts it nearest the published date
      (so "1 December" in a January article is last December).
    - A month alone ("in March") likewise takes the nearest year.
    - A bare weekday ("on Monday") is the nearest such day to the published date, within three
      days either side, the published day itself when it is that weekday; "last Monday" is the
      most recent one before, "next Monday" the first one after.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from strikewatch.extract.scanning import finditer_at, folded
from strikewatch.lexicon import alternation, lexicon

MONTHS = lexicon("months")
WEEKDAYS = lexicon("weekdays")
TIME_ZONES = lexicon("time_zones")
RELATIVE_DATES = lexicon("relative_dates")
NUMBER_WORDS = lexicon("number_words")
DURATION_UNITS = lexicon("duration_units")

_ABBREVIATIONS = [  # "Jan", "Sept": shorter spellings of a month, which may take a full stop
    short
    for short, number in MONTHS.labels.items()
    if any(full != short and full.startswith(short) for full in MONTHS.with_label(number))
]
_MONTH = (
    rf"(?:(?:{alternation([p for p in MONTHS.phrases if p not in _ABBREVIATIONS])})\b"
    rf"|(?:{alternation([p for p in MONTHS.phrases if p in _ABBREVIATIONS])})\b\.?)"
)
_MONTH_ANY_CASE = rf"{MONTHS.pattern(ignore_case=True)}\b\.?"
_WEEKDAY = rf"(?:{WEEKDAYS.pattern()}\b)"
_ORD = r"(?:st|nd|rd|th)?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_YEAR = r"(?:19|20)\d\d"
_RANGE_SEP = r"(?:-|to|until|till)"
_LIST_SEP = r"(?:and|&|,)"
_SP = r"[^\S\n]+"
_NOT_A_CLOCK = r"(?![\d:]|\.\d)"  # "May 10.30" is a time; "on April 26." ends a sentence
YEARS_A_WEEKDAY_REPEATS = 11  # a day of the year falls on each weekday within any 11 years
WEEKDAY_DAY_REACH = 190  # "Wednesday 28" is read within about six months of publication

_DATE_BRANCHES = [
    rf"(?<![\d/])(?P<n_day>{_DAY})/(?P<n_month>0?[1-9]|1[0-2])/(?P<n_year>(?:19|20)?\d\d)(?![\d/])",
    rf"(?:(?P<wd1>{_WEEKDAY}),?{_SP})?(?:the{_SP})?(?<![\d,.])(?P<d1>{_DAY}){_ORD}"
    rf"(?:[^\S\n]*(?P<sep1>{_RANGE_SEP}|{_LIST_SEP})[^\S\n]*(?:{_WEEKDAY},?{_SP})?(?:the{_SP})?(?P<d1b>{_DAY}){_ORD})?"
    rf"(?:{_SP}of)?{_SP}(?P<m1>{_MONTH})(?:,?{_SP}(?P<y1>{_YEAR})(?!\d))?",
    rf"(?:(?P<wd2>{_WEEKDAY}),?{_SP})?(?P<m2>{_MONTH}){_SP}(?P<d2>{_DAY}){_ORD}{_NOT_A_CLOCK}"
    rf"(?:[^\S\n]*(?P<sep2>{_RANGE_SEP}|{_LIST_SEP})[^\S\n]*(?P<d2b>{_DAY}){_ORD}{_NOT_A_CLOCK})?"
    rf"(?:,?{_SP}(?P<y2>{_YEAR})(?!\d))?",
    rf"(?:(?P<mprep>(?i:in|during|since|from|until|till|by|of|early|late|mid-?|end{_SP}of"
    rf"|start{_SP}of|beginning{_SP}of|last|next|this)){_SP})?(?P<m3>{_MONTH})(?!{_SP}{_DAY}{_ORD}\b)"
    rf"(?:{_SP}(?P<y3>{_YEAR})(?!\d))?",
    rf"(?i:in|since|during|by|until){_SP}(?P<y4>{_YEAR})(?![\d/-])",
    rf"(?:(?P<wrel>(?i:last|next|this|on|from|until|by)){_SP})?(?P<wd>{_WEEKDAY})"
    rf"(?:{_SP}(?P<wd_day>{_DAY}){_ORD}\b(?![:.]\d|{_SP}(?:of{_SP})?{_MONTH_ANY_CASE})"
    rf"|[^\S\n]*\((?P<wd_day_bracketed>{_DAY}){_ORD}\))?"
    rf"(?:{_SP}(?:morning|afternoon|evening|night))?",
    rf"(?P<rel>{RELATIVE_DATES.pattern()})\b(?!{_SP}programme)",
]
_DATE = re.compile(rf"\b(?:{'|'.join(_DATE_BRANCHES)})")
# _DATE where the text has a digit: only its first two branches open with one, so the others,
# kept for their groups, are cut off at once ("(?!)" fails) rather than tried word by word.
_DATE_AT_A_DIGIT = re.compile(
    rf"\b(?:{'|'.join(_DATE_BRANCHES[:2])}|(?!)(?:{'|'.join(_DATE_BRANCHES[2:])}))"
)
TIME_WORDS = ("noon", "midday", "midnight")  # the clock times written as words
_TIME = re.compile(
    r"(?<![\d:.£$])(?P<h>1[0-2]|0?\d)(?:[:.](?P<mi>[0-5]\d))?\s?(?P<ampm>(?i:am|pm|a\.m\.|p\.m\.))"
    r"(?![a-z])"
    rf"|(?<![\d:.£$])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])(?:\s?{TIME_ZONES.pattern()}\b)?"
    rf"|\b(?P<word>(?i:{'|'.join(TIME_WORDS)}))\b"
)
# What follows the hour of a _TIME at once, or after a digit or a space: one of these opens its
# minutes or its am/pm, so a digit without one in the next three characters opens no time.
_HOUR_ENDS = frozenset(":.aApP")
_RANGE_SEPARATOR = re.compile(_RANGE_SEP)
_SENTENCE_BREAK = re.compile(r"[.!?\n]\s")
_TIME_RANGE_GAP = re.compile(r"\s*(?:-|to|until|till|and)\s*$")
TENSE_REACH = 60  # characters before a weekday searched for the tense of its clause
# The verbs of a tense, in lower case: they are searched for in a folded window (a pattern
# that ignores case is tried far slower, alternative by alternative).
_FUTURE_VERB = re.compile(
    r"\b(?:will|shall|is\s+to|are\s+to|set\s+to|due\s+to|plans?\s+to|planned\s+to"
    r"|going\s+to|expected\s+to)\b|'ll\b"
)
_PAST_VERB = re.compile(
    r"\b(?:walked|went|began|started|struck|staged|held|launched|took|ended|finished"
    r"|said|announced|confirmed)\b"
)
_BETWEEN = re.compile(r"(?i)\bbetween(?:\s+the\s+hours\s+of)?\s*$")
_DATE_RANGE_GAP = re.compile(r"\s*(?:-|to|until|till)\s*$")
_DURATION = re.compile(
    rf"(?<![\w.,])(?P<n>\d{{1,3}}|(?:{NUMBER_WORDS.pattern()})(?:-(?:{NUMBER_WORDS.pattern()}))?)"
    r"[\s-](?P<unit>(?i:hour|day|week))s?\b",
    re.IGNORECASE,
)
# _DURATION for text lower-cased, without the flag (see numbers._LOWER_CASE_FIGURE).
_LOWER_CASE_DURATION = re.compile(_DURATION.pattern.replace("(?i:", "(?:"))
_DIGIT = re.compile(r"\d")  # every full date holds one
_CLOCK = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"
_WEEKDAY_ANY_CASE = WEEKDAYS.pattern(ignore_case=True)
_DATELINE = re.compile(
    rf"^(?:(?:first )?(?:published|posted|updated)(?: on)?:? )?(?:{_WEEKDAY_ANY_CASE},? )?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)? (?P<m1>{_MONTH_ANY_CASE}),? (?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_ANY_CASE}) (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y2>\d{{4}})"
    rf"|(?P<d3>\d{{1,2}})/(?P<m3>\d{{1,2}})/(?P<y3>\d{{4}})"
    rf"|(?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}}))"
    rf"(?:,? (?:at )?{_CLOCK}\s*(?P<zone>{TIME_ZONES.pattern()})?)?",
    re.IGNORECASE,
)

# Where a _DATELINE's first digit lies at the furthest: "first published on: Wednesday,
# September. 12".
_DATELINE_DIGIT_REACH = (
    len("first published on: ")
    + max(map(len, WEEKDAYS.phrases))
    + len(", ")
    + max(map(len, MONTHS.phrases))
    + len(". ")
    + 1
)


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class DateMention:
    """A date in the text; `end` is the last day of a stated range; `weekday` when it names one."""

    start: dt.date
    end: dt.date | None
    precision: str  # "day", "month" or "year"
    char_start: int
    char_end: int


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class TimeMention:
    """A clock time, or a range of two, in the text."""

    start: dt.time
    end: dt.time | None
    char_start: int
    char_end: int


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class DurationMention:
    """A length of time ("48-hour") in hours."""

    hours: float
    char_start: int
    char_end: int


def month_number(name: str) -> int:
    """Number of a month name or abbreviation, any case ("Sept." -> 9)."""
    label = MONTHS.label(name.rstrip(".").title())
    if label is None:
        raise KeyError(name)
    return int(label)


def nearest_year(month: int, day: int, published: dt.date) -> dt.date | None:
    """The day/month in the year that puts it nearest the published date."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - published).days), default=None)


def _day_month(
    day: str, month: str, year: str | None, anchor: dt.date | None, weekday: str | None = None
) -> dt.date | None:
    """A day of a month, in the stated year or else the one nearest the anchor (the published
    date, or the text's own year); a stated weekday must fall on it."""
    number = month_number(month)
    if year:
        try:
            return dt.date(int(year), number, int(day))
        except ValueError:
            return None
    if anchor is None:
        return None
    if weekday is None:
        return nearest_year(number, int(day), anchor)
    return _year_of_weekday(number, int(day), weekday, anchor)


def _year_of_weekday(
    month: int, day: int, weekday: str, anchor: dt.date, not_after: bool = False
) -> dt.date | None:
    """The day and month, in the year nearest the anchor (or, `not_after`, the latest year up
    to the anchor's) in which it falls on the weekday."""
    candidates = []
    for year in range(anchor.year - YEARS_A_WEEKDAY_REPEATS, anchor.year + 2):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == int(WEEKDAYS.label(weekday) or 0):
            candidates.append(candidate)
    if not_after:
        return max((c for c in candidates if c.year <= anchor.year), default=None)
    return min(candidates, key=lambda d: abs((d - anchor).days), default=None)


def _weekday_and_day(name: str, day: int, published: dt.date) -> dt.date | None:
    """The date nearest the published one that is this weekday and this day of a month
    ("Wednesday 28", "Tuesday (19th)")."""
    weekday = int(WEEKDAYS.label(name) or 0)
    for offset in sorted(range(-WEEKDAY_DAY_REACH, WEEKDAY_DAY_REACH + 1), key=abs):
        candidate = published + dt.timedelta(days=offset)
        if candidate.day == day and candidate.weekday() == weekday:
            return candidate
    return None


def weekday_date(
    name: str, relation: str | None, published: dt.date, tense: str | None = None
) -> dt.date:
    """The weekday nearest the published date, or the one before/after for last/next; in a
    future-tense clause the first one on or after it, in a past-tense clause the last one on or
    before it."""
    offset = (int(WEEKDAYS.label(name) or 0) - published.weekday()) % 7
    relation = (relation or "").lower()
    if relation == "last":
        return published - dt.timedelta(days=(7 - offset) or 7)
    if relation == "next":
        return published + dt.timedelta(days=offset or 7)
    if tense == "future":
        return published + dt.timedelta(days=offset)
    if tense == "past":
        return published - dt.timedelta(days=(7 - offset) % 7)
    return published + dt.timedelta(days=offset if offset <= 3 else offset - 7)


def _tense_before(text: str, position: int) -> str | None:
    """ "future" or "past" when a verb of that tense comes shortly before a position in the same
    sentence ("will walk out on Monday", "walked out on Friday"); the nearer one wins."""
    window = text[max(0, position - TENSE_REACH) : position]
    window = folded(_SENTENCE_BREAK.split(window)[-1])
    future = [m.end() for m in _FUTURE_VERB.finditer(window)]
    past = [m.end() for m in _PAST_VERB.finditer(window)]
    if not future and not past:
        return None
    return "future" if max(future, default=-1) > max(past, default=-1) else "past"


def _relative(phrase: str, published: dt.date) -> tuple[dt.date, str]:
    """A relative phrase ("yesterday", "the start of the year") as a date and precision."""
    label = RELATIVE_DATES.label(phrase) or "day:0"
    if label == "year-start":
        return dt.date(published.year, 1, 1), "month"
    if label == "year-end":
        return dt.date(published.year, 12, 1), "month"
    unit, shift = label.split(":")
    if unit == "day":
        return published + dt.timedelta(days=int(shift)), "day"
    if unit == "year":
        return dt.date(published.year + int(shift), 1, 1), "year"
    months = published.year * 12 + published.month - 1 + int(shift)
    return dt.date(months // 12, months % 12 + 1, 1), "month"


def _month_only(
    match: re.Match[str], published: dt.date | None, anchor: dt.date | None
) -> dt.date | None:
    """A month named alone ("in March", "March 2016") as its first day, or None."""
    number = month_number(match["m3"])
    if match["y3"]:
        return dt.date(int(match["y3"]), number, 1)
    if not match["mprep"]:
        return None  # a bare capitalised "May" or "March" is too often a name or a verb
    relation = match["mprep"].lower()
    if relation in ("last", "next", "this"):
        if published is None:
            return None
        this_year = dt.date(published.year, number, 1)
        month_start = dt.date(published.year, published.month, 1)
        if relation == "last" and this_year >= month_start:
            return dt.date(published.year - 1, number, 1)
        if relation == "next" and this_year <= month_start:
            return dt.date(published.year + 1, number, 1)
        return this_year
    return nearest_year(number, 1, anchor) if anchor else None


def _weekday_named(match: re.Match[str], before: str | None) -> str | None:
    """The weekday a day-and-month match states, in it or just before it."""
    return match["wd1"] or match["wd2"] or before


def _resolve(
    match: re.Match[str],
    published: dt.date | None,
    anchor: dt.date | None,
    weekday_before: str | None = None,
    text: str = "",
) -> list[tuple[dt.date, dt.date | None, str]]:
    """(start, end, precision) of each date a match denotes; empty when unresolvable. Days
    without a year take the one nearest the anchor."""
    if match["n_day"]:
        numeric_year = int(match["n_year"]) + (2000 if len(match["n_year"]) == 2 else 0)
        try:
            return [
                (dt.date(numeric_year, int(match["n_month"]), int(match["n_day"])), None, "day")
            ]
        except ValueError:
            return []
    if match["m1"] or match["m2"]:
        month = match["m1"] or match["m2"]
        first, second = (match["d1"], match["d1b"]) if match["m1"] else (match["d2"], match["d2b"])
        separator = match["sep1"] or match["sep2"]
        year = match["y1"] or match["y2"]
        weekday = None if published else _weekday_named(match, weekday_before)
        start = _day_month(first, month, year, anchor, weekday)
        if start is None:
            return []
        if not second:
            return [(start, None, "day")]
        other = _day_month(second, month, str(start.year), anchor)
        if other is None or other < start:
            return []
        if _RANGE_SEPARATOR.fullmatch(separator):
            return [(start, other, "day")]
        return [(start, None, "day"), (other, None, "day")]
    if match["m3"]:
        month_start = _month_only(match, published, anchor)
        return [(month_start, None, "month")] if month_start else []
    if match["y4"]:
        return [(dt.date(int(match["y4"]), 1, 1), None, "year")]
    if published is None:
        return []
    if match["wd"]:
        day_number = match["wd_day"] or match["wd_day_bracketed"]
        if day_number:
            day = _weekday_and_day(match["wd"], int(day_number), published)
            return [(day, None, "day")] if day else []
        tense = _tense_before(text, match.start())
        return [(weekday_date(match["wd"], match["wrel"], published, tense), None, "day")]
    day, precision = _relative(match["rel"], published)
    return [(day, None, precision)]


def _year_anchor(text: str, matches: list[re.Match[str]], latest_year: int) -> dt.date | None:
    """For a text without a published date, the day its year-less dates are read near: the
    latest date it states with a year; else the first weekday-and-date pair ("Tuesday, June
    21"), in the latest year up to `latest_year` in which that date is that weekday."""
    stated = [
        start
        for match in matches
        if match["n_day"] or match["y1"] or match["y2"] or match["y3"]
        for start, _, _ in _resolve(match, None, None)
    ]
    if stated:
        return max(stated)
    ceiling = dt.date(latest_year, 12, 31)
    previous_end = -1
    previous_weekday: str | None = None
    for match in matches:
        before = previous_weekday if not text[previous_end : match.start()].strip(" ,(") else None
        weekday = _weekday_named(match, before) if (match["m1"] or match["m2"]) else None
        if weekday:
            month = month_number(match["m1"] or match["m2"])
            day = int(match["d1"] or match["d2"])
            found = _year_of_weekday(month, day, weekday, ceiling, not_after=True)
            if found is not None:
                return found
        previous_end = match.end()
        plain_weekday = match["wd"] and not (match["wd_day"] or match["wd_day_bracketed"])
        previous_weekday = match["wd"] if plain_weekday else None
    return None


# Lower-case words a date can open with; other dates open with a digit or a capital letter.
DATE_FIRST_WORDS = frozenset(
    {
        "in", "during", "since", "from", "until", "till", "by", "of", "early", "late", "mid",
        "end", "start", "beginning", "last", "next", "this", "on", "the", "earlier",
    }
    | {phrase.split()[0].lower() for phrase in RELATIVE_DATES.labels}
)  # fmt: skip
# Every word, in any case, a date can open with (besides a digit).
DATE_OPENING_WORDS = DATE_FIRST_WORDS | {
    re.findall(r"\w+", phrase)[0].lower() for phrase in [*MONTHS.labels, *WEEKDAYS.labels]
}
# A date opening with one of these words ("in", "the", "last") goes on, after spaces (and a
# hyphen: "mid-"), with a digit or one of DATE_NEXT_WORDS: a month, a weekday, "of" ("end of
# May") or the second word of a relative date ("this year"). Never "the": "in the" opens none.
DATE_LEADING_WORDS = DATE_FIRST_WORDS - {phrase.lower() for phrase in RELATIVE_DATES.labels}
DATE_NEXT_WORDS = (
    {"of"}
    | {
        word.lower()
        for phrase in [*MONTHS.labels, *WEEKDAYS.labels]
        for word in re.findall(r"\w+", phrase)
    }
    | {word.lower() for phrase in RELATIVE_DATES.labels for word in re.findall(r"\w+", phrase)[1:2]}
)


def _date_matches(text: str, word_starts: Iterable[int]) -> list[re.Match[str]]:
    """finditer_at(_DATE, text, word_starts), with _DATE_AT_A_DIGIT tried where a digit opens
    the word, and nothing where the word opens with three digits (or two and the text's end):
    the day of a date has one or two, and something other than a digit follows."""
    matches = []
    resume = 0
    for start in word_starts:
        if start < resume:
            continue
        if "0" <= text[start] <= "9":
            if text[start : start + 3].isdigit():
                continue
            match = _DATE_AT_A_DIGIT.match(text, start)
        else:
            match = _DATE.match(text, start)
        if match is not None:
            resume = match.end()
            matches.append(match)
    return matches


def scan_dates(
    text: str,
    published: dt.date | None,
    word_starts: Iterable[int],
    latest_year: int | None = None,
) -> tuple[DateMention, ...]:
    """Every date of a normalised text, trying only the given word starts. Without a published
    date, days without a year are read near the text's own dates (see `_year_anchor`; a
    weekday-and-date pair is placed no later than `latest_year`, by default this year)."""
    matches = _date_matches(text, word_starts)
    anchor = published or _year_anchor(text, matches, latest_year or dt.date.today().year)
    mentions: list[DateMention] = []
    weekday_before: DateMention | None = None  # a bare weekday just matched ("on Wednesday")
    weekday_name: str | None = None  # its name, kept when it cannot be resolved on its own
    previous_end = -1
    for match in matches:
        gap_to_weekday = text[previous_end : match.start()]
        named = weekday_name if not gap_to_weekday.strip(" ,(") else None
        plain_weekday = match["wd"] and not (match["wd_day"] or match["wd_day_bracketed"])
        for day, last_day, precision in _resolve(match, published, anchor, named, text):
            mention = DateMention(day, last_day, precision, match.start(), match.end())
            previous = mentions[-1] if mentions else None
            gap = text[previous.char_end : match.start()] if previous else ""
            if (
                previous is weekday_before
                and previous
                and precision == "day"
                and not gap.strip(" ,(")
            ):
                # "on Wednesday 14 June", "Wednesday (20 December)": the stated date
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
            weekday_before = mention if plain_weekday else None
        weekday_name = match["wd"] if plain_weekday else None
        previous_end = match.end()
    return tuple(mentions)


def _clock(match: re.Match[str]) -> dt.time:
    """The time of day a time match denotes."""
    if match["word"]:
        return dt.time(0) if match["word"].lower() == "midnight" else dt.time(12)
    if match["h24"]:
        return dt.time(int(match["h24"]), int(match["m24"]))
    hour = int(match["h"]) % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    return dt.time(hour, int(match["mi"] or 0))


def scan_times(text: str, word_starts: Iterable[int]) -> tuple[TimeMention, ...]:
    """Every clock time and time range of a text, trying only the given word starts (which
    must hold those of digits and of TIME_WORDS in any case)."""
    mentions: list[TimeMention] = []
    starts = [
        start
        for start in word_starts
        if not "0" <= text[start] <= "9" or not _HOUR_ENDS.isdisjoint(text[start + 1 : start + 4])
    ]
    for match in finditer_at(_TIME, text, starts):
        clock = _clock(match)
        previous = mentions[-1] if mentions else None
        if previous and previous.end is None:
            gap = text[previous.char_end : match.start()]
            before = text[max(0, previous.char_start - 25) : previous.char_start]
            if _TIME_RANGE_GAP.fullmatch(gap) and (
                not gap.strip().startswith("and") or _BETWEEN.search(before)
            ):
                mentions[-1] = TimeMention(previous.start, clock, previous.char_start, match.end())
                continue
        mentions.append(TimeMention(clock, None, match.start(), match.end()))
    return tuple(mentions)


def _count(written: str) -> float | None:
    """A small count written in digits or words ("48", "forty-eight")."""
    if written.isdigit():
        return float(written)
    total = 0.0
    for part in written.lower().split("-"):
        value = NUMBER_WORDS.label(part)
        if value is None:
            return None
        total += float(value)
    return total


def scan_durations(
    text: str, word_starts: Iterable[int], lowered: str | None = None
) -> tuple[DurationMention, ...]:
    """Every stated length of time of a text, in hours, trying the given word starts; read in
    `lowered` when given, as numbers.scan_quantities reads it."""
    found = []
    if lowered is None:
        durations = finditer_at(_DURATION, text, word_starts)
    else:
        durations = finditer_at(_LOWER_CASE_DURATION, lowered, word_starts)
    for match in durations:
        count = _count(match["n"])
        if count:
            hours = count * float(DURATION_UNITS.label(match["unit"]) or 0)
            found.append(DurationMention(hours, match.start(), match.end()))
    return tuple(found)


def _clock_time(match: re.Match[str]) -> tuple[int, int] | None:
    """(hour, minute) of a dateline's clock, on the 24-hour clock; None when impossible."""
    hour, minute = int(match["hour"]), int(match["minute"])
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return (hour, minute) if hour < 24 and minute < 60 else None


def zone_offset(name: str | None) -> dt.timezone | None:
    """The UTC offset a zone name ("BST", "Greenwich Mean Time") stands for; None if unnamed."""
    hours = TIME_ZONES.label(name) if name else None
    return dt.timezone(dt.timedelta(hours=int(hours))) if hours is not None else None


@dataclass(frozen=True)
class Dateline:
    """A page's date line: the day, and the clock time with its zone when given."""

    day: dt.date
    clock: tuple[int, int] | None
    zone: dt.timezone | None


def read_dateline(line: str) -> Dateline | None:
    """A line that opens with a full date ("Tuesday 12 January 2016 08.00 GMT"), or None."""
    # a test that fails faster, in the part of the line where a dateline has its first digit
    match = _DATELINE.match(line) if _DIGIT.search(line, 0, _DATELINE_DIGIT_REACH) else None
    if not match:
        return None
    try:
        if match["d1"]:
            day = dt.date(int(match["y1"]), month_number(match["m1"]), int(match["d1"]))
        elif match["m2"]:
            day = dt.date(int(match["y2"]), month_number(match["m2"]), int(match["d2"]))
        elif match["d3"]:
            day = dt.date(int(match["y3"]), int(match["m3"]), int(match["d3"]))
        else:
            day = dt.date(int(match["y4"]), int(match["m4"]), int(match["d4"]))
    except ValueError:
        return None
    clock = _clock_time(match) if match["hour"] else None
    return Dateline(day, clock, zone_offset(match["zone"]))


def read_clock(match: re.Match[str]) -> tuple[int, int] | None:
    """(hour, minute) of a match of CLOCK_PATTERN."""
    return _clock_time(match)


CLOCK_PATTERN = _CLOCK
ZONE_PATTERN = TIME_ZONES.pattern()
MONTH_PATTERN_ANY_CASE = _MONTH_ANY_CASE


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.+\-Z]*)?")
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_WORDED_DATE = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_ANY_CASE}),?\s+(\d{{4}})")


def read_calendar_date(text: str) -> tuple[dt.date | None, str | None]:
    """A whole string that is one full date: (date, None), or (None, what is wrong with it).

    Accepted: YYYY-MM-DD (a time after it is ignored), d/m/YYYY when day and month cannot be
    swapped, and "26 April 2016". The problems are "ambiguous", "unknown form", "not a date".
    """
    text = text.strip()
    iso = _ISO_DATE.fullmatch(text)
    day_first = _DAY_FIRST_DATE.fullmatch(text)
    worded = _WORDED_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif day_first:
        day, month, year = (int(part) for part in day_first.groups())
        if day <= 12 and month <= 12 and day != month:
            return None, "ambiguous"
    elif worded:
        day, month, year = int(worded[1]), month_number(worded[2]), int(worded[3])
    else:
        return None, "unknown form"
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, "not a date"

"""The periods a sentence gives a strike: blocks of days, with the clock times that bound them.

day_blocks(doc, dates) -> [DayBlock]
    The sentence's day mentions as blocks of consecutive days: a range ("3-7 June", "from 7am
    on 27 June until 7am on 2 July", "started on Monday ... and ended on Thursday") is one
    block; coordinated consecutive days ("on 24 and 25 July", "on Tuesday and again on
    Wednesday") are one block; other days listed ("2 May, 4 May and from 9 to 11 May") are
    separate blocks.
block_period(doc, block, times, durations) -> Period
    Start and end of a block: a clock range is daily hours, from the first day's start to the
    last day's end ("from 10am to 3pm on Tuesday and again on Wednesday"); a start and an end
    time bound a range; a start time plus a stated number of hours gives the end ("24 hours
    from 7am"); a range of days without times ends on its last day. A duration without a start
    time gives no end. A midnight end is the start of the next day ("until midnight on
    Wednesday 28").
statement_date_spans(doc, sentence, linked) -> spans
    Dates of the sentence that date a statement ("told the BBC on Monday that ...").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.dates import DateMention, DurationMention, TimeMention

_SENTENCE_OPENER = re.compile(r"(?i:(?:earlier\s+|later\s+)?on)?\s*$")
MAX_STRIKE_HOURS = 168  # durations longer than a week do not give a strike its end
# Between two days, words that make the second the end of a range.
_RANGE_GAP = re.compile(
    r"(?i)(?:^|\W)(?:to|until|till|through|thru|finish\w*|end(?:s|ed|ing)?)(?:\W|$)|[-–—]"
)
# Between two days, words that only list them ("24 and 25 July", "Tuesday and again Wednesday").
_LIST_GAP = re.compile(r"(?i)[\s,&(]*(?:and\s+|&\s*)?(?:again\s+|also\s+|then\s+)?(?:on\s+)?")


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class Period:
    """Start and end of the period a clause describes (local time, naive)."""

    starts_at: dt.datetime
    start_precision: str  # "minute", "day" or "month"
    ends_at: dt.datetime | None


@dataclass(unsafe_hash=True, slots=True)  # as a frozen one, never changed, but built 4x faster
class DayBlock:
    """Consecutive days a sentence states: its first and last day and the mentions stating it."""

    first_day: dt.date
    last_day: dt.date
    mentions: tuple[DateMention, ...]

    @property
    def start(self) -> int:
        return self.mentions[0].char_start

    @property
    def end(self) -> int:
        return self.mentions[-1].char_end

    @property
    def is_range(self) -> bool:
        return self.last_day > self.first_day


def _at(day: dt.date, clock: dt.time | None) -> dt.datetime:
    """A day at a time of day (midnight when none is given)."""
    return dt.datetime.combine(day, clock or dt.time(0))


def _without(text: str, spans: Sequence[tuple[int, int]], offset: int) -> str:
    """text (which starts at offset) with the given spans blanked out."""
    chars = list(text)
    for start, end in spans:
        for index in range(max(start - offset, 0), min(end - offset, len(chars))):
            chars[index] = " "
    return "".join(chars)


def day_blocks(
    doc: Analysis, dates: Sequence[DateMention], times: Sequence[TimeMention] = ()
) -> list[DayBlock]:
    """Blocks of consecutive days among day mentions (in text order)."""
    blocks: list[DayBlock] = []
    for mention in dates:
        last = mention.end or mention.start
        if blocks:
            block = blocks[-1]
            gap_start, gap_end = block.end, mention.char_start
            gap = _without(
                doc.norm[gap_start:gap_end],
                [(t.char_start, t.char_end) for t in times],
                gap_start,
            )
            after = block.last_day
            if (
                _RANGE_GAP.search(gap)
                and block.first_day - dt.timedelta(days=7) < mention.start <= block.first_day
                and doc.has("weekdays", mention.char_start, mention.char_end)
            ):
                last = mention.start + dt.timedelta(days=7)  # "from today until Saturday"
                mention = DateMention(last, None, "day", mention.char_start, mention.char_end)
            if _RANGE_GAP.search(gap) and mention.start > block.first_day:
                blocks[-1] = DayBlock(block.first_day, max(last, after), (*block.mentions, mention))
                continue
            if _LIST_GAP.fullmatch(gap) and after <= mention.start <= after + dt.timedelta(days=1):
                blocks[-1] = DayBlock(block.first_day, max(last, after), (*block.mentions, mention))
                continue
        blocks.append(DayBlock(mention.start, last, (mention,)))
    return blocks


def attach_times(
    dates: Sequence[DateMention], times: Sequence[TimeMention]
) -> dict[int, list[TimeMention]]:
    """Each time mention given to the nearest day mention (by characters), keyed by the day
    mention's start."""
    attached: dict[int, list[TimeMention]] = {}
    for time in times:
        nearest = min(
            dates,
            key=lambda d: (
                time.char_start - d.char_end
                if time.char_start >= d.char_end
                else d.char_start - time.char_end
            ),
            default=None,
        )
        if nearest is not None:
            attached.setdefault(nearest.char_start, []).append(time)
    return attached


def block_period(
    block: DayBlock,
    own_times: Sequence[TimeMention],
    shared_range: TimeMention | None,
    durations: Sequence[DurationMention],
) -> Period:
    """Start and end of a block of days from the clock times attached to it."""
    first_day, last_day = block.first_day, block.last_day
    ranges = [t for t in own_times if t.end is not None]
    daily = ranges[0] if ranges else (shared_range if not own_times else None)
    if daily is not None:
        assert daily.end is not None
        return _period(_at(first_day, daily.start), "minute", _end_at(last_day, daily.end))
    if not own_times:
        ends_at = _at(last_day, None) if block.is_range else None
        return Period(_at(first_day, None), "day", ends_at)
    starts_at = _at(first_day, own_times[0].start)
    ends_at = None
    if len(own_times) > 1 and len(block.mentions) > 1:
        ends_at = _end_at(last_day, own_times[-1].start)
    if ends_at is None:
        hours = [d.hours for d in durations if d.hours <= MAX_STRIKE_HOURS]
        if hours:
            ends_at = starts_at + dt.timedelta(hours=hours[0])
    return _period(starts_at, "minute", ends_at)


def _end_at(day: dt.date, clock: dt.time) -> dt.datetime:
    """An end on a day at a time; a midnight end is the start of the next day."""
    if clock == dt.time(0):
        return _at(day + dt.timedelta(days=1), None)
    return _at(day, clock)


def _period(starts_at: dt.datetime, precision: str, ends_at: dt.datetime | None) -> Period:
    if ends_at is not None and ends_at <= starts_at:
        ends_at = None
    return Period(starts_at, precision, ends_at)


def published_day_period(
    published: dt.date, times: Sequence[TimeMention], durations: Sequence[DurationMention]
) -> Period:
    """The period of clock times given without a day: on the published date."""
    block = DayBlock(published, published, ())
    return block_period(block, list(times)[:1], None, durations)


def statement_date_spans(
    doc: Analysis, sentence: Sentence, linked: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """Spans of the sentence's dates and times that date a statement, not what it reports.

    "told the BBC on Monday that", "announced yesterday that" and "On Monday, NHS England said"
    date the saying. A date with a `linked` thing (the reported thing) between it and the
    reporting verb dates that thing instead and is kept out of the result.
    """
    begin, stop = sentence.start, sentence.end
    if not doc.has("reporting_verbs", begin, stop):
        return []  # every such date has a reporting verb of the sentence before or after it
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

"""Strike actions: who walks out, from when to when, what is withdrawn, and whether it happened.

A sentence yields one action per block of consecutive days it ties to a strike ("on 2 May, 4 May
and from 9 to 11 May" is three actions; "on 24 and 25 July" is one). A day is tied
to a strike when it lies within a few words of one, directly or through the sentence's other
days and clock times, or failing that in the clause naming it (strike_wording.tied_mentions).
Rows of a list under a heading that names strikes, and lines that are only a day under such a
heading, count too; so does "action" right next to a day in an article about a strike.

Left out: dates of a statement ("told the BBC on Monday that ...", "on Monday as figures
revealed"), of talks and of a comparison ("compared to 9 March"), a poll's fieldwork, a
ballot's sentence, publication stamps, and days that are the nth day of a strike already under
way ("enters its fifth day tomorrow"). "striking doctors" says who strikes, not when.

Ends: a clock range is daily hours; a start time plus hours gives the end; a day range without
times ends on its last day; a sentence saying when a strike finishes ("will finish at 8am on
Wednesday", "until Thursday" ... "until 5 a.m.") gives the end of the article's latest action
that began before it; a next-day continuation ("again on Wednesday, between the same hours")
extends the action it continues.

Without a day: "a second day of stoppages" is the day before publication; a past strike
known only by its month keeps the month (start_precision "month"), a future one too unless it is
an allusion ("further walkouts are planned for next month") or the article dates a strike of
that group in that month; a past strike reported as an event with no day at all ("began a
five-day walkout") is kept with no start.

Status: suspended when its clause says it was called off, suspended, or only previously set;
otherwise planned if it starts after the published date, held if on or before it; a text without
a published date is read by its tense (unknown when it has none). The article-level passes
(strike_mentions) share a suspension or a known status among the mentions of one action.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from strikewatch.extract.analysis import Analysis, Sentence, Term
from strikewatch.extract.dates import DateMention, DurationMention, TimeMention
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.periods import (
    Period,
    attach_times,
    block_period,
    day_blocks,
    published_day_period,
)
from strikewatch.extract.strike_mentions import (
    EndStatement,
    Mention,
    apply_ends,
    known_statuses,
    merge_continuations,
    merge_list_runs,
    months_kept,
    same_day_suspensions,
)
from strikewatch.extract.strike_wording import (
    ALLUSION,
    ALLUSION_OPENINGS,
    ENDS_AT,
    FIGURE,
    HEADLINE_EVENT,
    HEADLINE_OPENINGS,
    TIME_OF_SOMETHING_ELSE,
    VOTERS,
    Groups,
    first_match,
    ignored_dates,
    only_a_day,
    ordinal_day,
    ordinal_number,
    outside_spans,
    says_suspended,
    scope_named,
    status_of,
    status_window,
    strike_heading,
    strike_terms,
    tense_of,
    tied_mentions,
    weak_terms,
    within_words,
)
from strikewatch.goldformat import provenance, time_text

HEADLINE_SENTENCES = 2  # the first sentences of a text, where its headline is
MONTH_LINK_WORDS = 5  # a month alone must be closer, with no figure between
END_WORDS_BEFORE = 5  # "the end of the strikes on Wednesday": how far an end word may lie
_NEXT_OR_THIS_WEEK = re.compile(r"(?i)\b(next|this)\s+week\b")


@dataclass(kw_only=True, unsafe_hash=True, slots=True)
class StrikeAction(Fact):
    """A strike action: who, from when to when, what is withdrawn, what became of it."""

    staff_group: str | None
    starts_at: dt.datetime | None  # None: an action reported as an event whose day is not given
    start_precision: str | None
    ends_at: dt.datetime | None
    scope: str | None
    status: str


@dataclass(slots=True)
class _Reading:
    """A sentence the rule reads, with what the analysis found in it."""

    sentence: Sentence
    words: list[Term]  # the strike_terms phrases, "striking doctors" among them
    scopes: list[Term]
    dates: list[DateMention]
    times: list[TimeMention]
    durations: list[DurationMention]

    @property
    def scope(self) -> str | None:
        return scope_named(self.scopes, self.words)


class _Sentences:
    """The rule applied sentence by sentence, with what later sentences need."""

    def __init__(self, doc: Analysis) -> None:
        self.doc = doc
        self.groups = Groups(doc)
        self.found: list[Mention] = []
        self.month_only: list[Mention] = []
        self.undated: list[Mention] = []
        self.ends: list[EndStatement] = []
        self.suspended_weeks: list[tuple[dt.date, dt.date]] = []
        self.list_run = 0
        self.last_list_line = -2
        # a sentence starting before this one is among the first HEADLINE_SENTENCES
        after_headline = doc.sentences[HEADLINE_SENTENCES:]
        self.headline_end = after_headline[0].start if after_headline else len(doc.norm) + 1

    def read(self, reading: _Reading) -> None:
        doc = self.doc
        sentence = reading.sentence
        all_dates, all_times, durations = reading.dates, reading.times, reading.durations
        if not all_dates and not all_times:
            self._undated(reading)
            return
        terms = strike_terms(doc, reading.words) + reading.scopes
        heading = None
        if not terms:
            if not all_dates:
                return  # "action" and list rows count only with a day
            terms = weak_terms(doc, sentence)
        if not terms:
            heading = strike_heading(doc, sentence)
            if heading is None:
                return
        elif self._about_a_ballot(sentence):
            return
        self._suspended_week(sentence)
        ignored = ignored_dates(doc, sentence, all_dates)
        if ignored:
            dates = [
                d
                for d in all_dates
                if d.precision != "year" and outside_spans(ignored, d.char_start)
            ]
            times = [t for t in all_times if outside_spans(ignored, t.char_start)]
        else:
            dates = [d for d in all_dates if d.precision != "year"]
            times = all_times
        if heading is None and (dates or times):
            spans = [(m.char_start, m.char_end) for m in (*dates, *times, *durations)]
            tied = tied_mentions(doc, sentence, [(t.start, t.end) for t in terms], spans)
            dates = [d for d in dates if (d.char_start, d.char_end) in tied]
            times = [t for t in times if (t.char_start, t.char_end) in tied]
        first = dates[0].char_start if dates else None  # each list is in text order
        if times and (first is None or times[0].char_start < first):
            first = times[0].char_start
        if first is not None and self._end_statement(sentence, first, dates, times):
            return
        days = [d for d in dates if d.precision == "day"]
        if days:
            self._dated(reading, terms, days, times, heading)
        elif times and doc.published:
            period = published_day_period(doc.published, times, durations)
            self._add(reading, terms, times[0].char_start, times[0].char_end, period)
        elif terms and dates:
            months = [d for d in dates if d.precision == "month"]
            if months:
                self._by_month(reading, terms, months[0])
        elif terms and not all_dates and not times:
            ordinal = ordinal_day(doc, sentence.start, sentence.end)
            self._without_day(reading, terms, ordinal)

    # --- the kinds of sentence

    def _undated(self, reading: _Reading) -> None:
        """A sentence naming no day or time: what it says of a strike, if it names one."""
        doc = self.doc
        sentence = reading.sentence
        start, end = sentence.start, sentence.end
        headline = start < self.headline_end
        week = doc.folded.find("week", start, end) >= 0
        ordinal = ordinal_day(doc, start, end)
        if not (headline or week or ordinal or reading.durations):
            return  # nothing _suspended_week or _without_day could find
        terms = strike_terms(doc, reading.words) + reading.scopes
        if not terms or self._about_a_ballot(sentence):
            return
        if week:
            self._suspended_week(sentence)
        self._without_day(reading, terms, ordinal)

    def _dated(self, reading, terms, days, times, heading) -> None:
        doc = self.doc
        blocks = day_blocks(doc, days, times)
        attached = attach_times(days, times)
        ranges = [t for t in times if t.end is not None]
        shared = ranges[0] if len(times) == 1 and ranges else None
        only_day = heading is not None and only_a_day(doc, reading.sentence)
        if only_day:
            line = doc.line_number(reading.sentence.start)
            if line - self.last_list_line > 3:
                self.list_run += 1
            self.last_list_line = line
        for block in blocks:
            own = [t for m in block.mentions for t in attached.get(m.char_start, ())]
            start, end = block.start, block.end
            if own:
                own = list(dict.fromkeys(own))
                start = min(start, *(t.char_start for t in own))
                end = max(end, *(t.char_end for t in own))
            period = block_period(block, own, shared, reading.durations)
            self._add(
                reading,
                terms,
                start,
                end,
                period,
                list_run=self.list_run if only_day else None,
                own_times=bool(own) or shared is not None,
                heading=heading,
            )

    def _by_month(self, reading, terms, month: DateMention) -> None:
        doc = self.doc
        sentence = reading.sentence
        term = min(terms, key=lambda t: abs(t.start - month.char_start))
        left, right = sorted((term.end, month.char_start))
        if month.char_start < term.start:
            left, right = month.char_end, term.start
        between = doc.norm[left:right]
        if not within_words(doc, left, right, MONTH_LINK_WORDS) or FIGURE.search(between):
            return
        window = status_window(doc, sentence, month.char_start)
        if first_match(doc, ALLUSION, ALLUSION_OPENINGS, *window) or TIME_OF_SOMETHING_ELSE.search(
            doc.norm[max(sentence.start, term.start - 40) : term.start]
        ):
            return
        period = Period(dt.datetime.combine(month.start, dt.time(0)), "month", None)
        action = self._make(reading, terms, month.char_start, month.char_end, period)
        if action is not None:
            continues = doc.has("continuation_words", sentence.start, sentence.end)
            self.month_only.append(Mention(action, continues))

    def _without_day(self, reading, terms, ordinal: re.Match[str] | None) -> None:
        """The nth day of a strike under way (the sentence's ORDINAL_DAY, if any), a headline's
        strike of the day ("Bakers walk out over pay"), or a past strike reported as an
        event."""
        doc = self.doc
        sentence = reading.sentence
        first = sentence.start < self.headline_end
        headline = first and first_match(
            doc, HEADLINE_EVENT, HEADLINE_OPENINGS, sentence.start, sentence.end
        )
        if headline and doc.published:
            period = Period(dt.datetime.combine(doc.published, dt.time(0)), "day", None)
            self._add(reading, terms, headline.start(), headline.end(), period)
            return
        if (
            ordinal
            and ordinal_number(ordinal) <= 2
            and doc.published
            and tense_of(doc, sentence.start, sentence.end) != "held"
            and doc.has("strike_terms", ordinal.end(), min(sentence.end, ordinal.end() + 40))
        ):
            day = doc.published - dt.timedelta(days=ordinal_number(ordinal) - 1)
            period = Period(dt.datetime.combine(day, dt.time(0)), "day", None)
            self._add(reading, terms, ordinal.start(), ordinal.end(), period)
            return
        for duration in reading.durations:
            term = doc.first("strike_terms", duration.char_end, duration.char_end + 25)
            if term is None or not within_words(doc, duration.char_end, term.start, 1):
                continue
            window = status_window(doc, sentence, term.start)
            if tense_of(doc, *window) != "held":
                continue
            start, end = doc.clause_around(sentence, duration.char_start, term.end)
            self.undated.append(
                Mention(
                    StrikeAction(
                        char_start=start,
                        char_end=end,
                        staff_group=self.groups.of(sentence, term.start),
                        starts_at=None,
                        start_precision=None,
                        ends_at=None,
                        scope=reading.scope,
                        status="held",
                    )
                )
            )
            return

    def _about_a_ballot(self, sentence: Sentence) -> bool:
        """Whether a clause of the sentence names a ballot with a strike or a day ("voted for a
        72-hour strike"); "Following the ballot, ..." alone does not count."""
        doc = self.doc
        for term in doc.terms_in("ballot_words", sentence.start, sentence.end):
            if VOTERS.fullmatch(doc.norm[term.start : term.end]):
                continue  # "Labour voters" answer polls
            start, end = doc.clause_around(sentence, term.start, term.end)
            if doc.has("strike_terms", start, end) or doc.dates_in(start, end):
                return True
        return False

    def _end_statement(self, sentence, first: int, dates, times) -> bool:
        """Record a sentence saying when a strike finishes; True when it is one."""
        doc = self.doc
        word = doc.last("end_words", max(sentence.start, first - 60), first)
        if ENDS_AT.match(doc.norm, first):
            word = doc.first("end_words", first, first + 6)
        nearby = doc.terms_in("strike_terms", word.start - 30, word.end + 30) if word else []
        if word and any(t.start <= word.start < t.end for t in nearby):
            word = None  # "stop work from 9am"
        if not word or not within_words(doc, word.end, first, END_WORDS_BEFORE):
            return False
        after = [d for d in dates if d.char_end > word.end and d.precision == "day"]
        clocks = [t for t in times if t.char_end > word.end]
        day = (after[0].end or after[0].start) if after else None
        clock = (clocks[0].end or clocks[0].start) if clocks else None
        group = self.groups.of(sentence, word.start)
        self.ends.append(EndStatement(day, clock, group))
        return True

    def _suspended_week(self, sentence: Sentence) -> None:
        """A strike "next week" (or "this week") said to be suspended or called off."""
        doc = self.doc
        if doc.published is None:
            return
        if doc.folded.find("week", sentence.start, sentence.end) < 0 or not says_suspended(
            doc, sentence.start, sentence.end
        ):
            return
        match = _NEXT_OR_THIS_WEEK.search(doc.norm[sentence.start : sentence.end])
        if not match:
            return
        monday = doc.published - dt.timedelta(days=doc.published.weekday())
        if match.group(1).lower() == "next":
            monday += dt.timedelta(days=7)
        self.suspended_weeks.append((monday, monday + dt.timedelta(days=6)))

    # --- building actions

    def _make(
        self, reading, terms, start, end, period: Period, heading=None
    ) -> StrikeAction | None:
        doc = self.doc
        sentence = reading.sentence
        if terms:
            term = min(terms, key=lambda t: abs(t.start - start))
            left, right = min(term.start, start), max(term.end, end)
        else:
            left, right = start, end
        clause_start, clause_end = doc.clause_around(sentence, left, right)
        if doc.skip.contains(clause_start):
            return None
        status = status_of(doc, sentence, start, period.starts_at, period.start_precision)
        if status == "unknown" and heading is not None:
            status = tense_of(doc, *heading)
        return StrikeAction(
            char_start=clause_start,
            char_end=clause_end,
            staff_group=self.groups.of(sentence, left),
            starts_at=period.starts_at,
            start_precision=period.start_precision,
            ends_at=period.ends_at,
            scope=reading.scope,
            status=status,
        )

    def _add(
        self, reading, terms, start, end, period, list_run=None, own_times=True, heading=None
    ) -> None:
        action = self._make(reading, terms, start, end, period, heading)
        if action is not None:
            sentence = reading.sentence
            continues = self.doc.has("continuation_words", sentence.start, sentence.end)
            self.found.append(Mention(action, continues, list_run, own_times))


def _candidates(doc: Analysis) -> list[_Reading]:
    """The sentences the rule reads: those where a strike word, a scope or a date begins (any
    other sentence names no strike and no day), out of skipped text, with what lies in them."""
    sentences = doc.sentences
    starts = [sentence.start for sentence in sentences]
    words = _by_sentence(sentences, starts, doc.terms["strike_terms"], _TERM_START)
    scopes = _by_sentence(sentences, starts, doc.terms["strike_scopes"], _TERM_START)
    dates = _by_sentence(sentences, starts, doc.dates, _MENTION_START)
    times = _by_sentence(sentences, starts, doc.times, _MENTION_START)
    durations = _by_sentence(sentences, starts, doc.durations, _MENTION_START)
    skip = doc.skip if doc.skip.starts else None
    found = []
    for index in sorted(words.keys() | scopes.keys() | dates.keys()):
        sentence = sentences[index]
        if skip is not None and skip.contains(sentence.start):
            continue
        found.append(
            _Reading(
                sentence,
                _wholly_in(sentence, words.get(index)),
                _wholly_in(sentence, scopes.get(index)),
                dates.get(index, []),
                times.get(index, []),
                durations.get(index, []),
            )
        )
    return found


_TERM_START = attrgetter("start")
_MENTION_START = attrgetter("char_start")


def _by_sentence(
    sentences: list[Sentence], starts: list[int], items: list, start_of: Callable[[Any], int]
) -> dict[int, list]:
    """The items (in order of their start) by the index of the sentence they start in (`starts`:
    the sentences' starts); the items between sentences are left out."""
    found: dict[int, list] = {}
    begin = end = -1  # the span of the sentence the last item starts in
    bucket: list = []
    for item, at in zip(items, map(start_of, items), strict=True):
        if not begin <= at < end:
            index = bisect_right(starts, at) - 1
            begin, end = (sentences[index].start, sentences[index].end) if index >= 0 else (-1, -1)
            if not begin <= at < end:
                continue
            bucket = found.setdefault(index, [])
        bucket.append(item)
    return found


def _wholly_in(sentence: Sentence, terms: list[Term] | None) -> list[Term]:
    """The terms (starting in the sentence, if any) that end in it too: all but maybe the
    last, as a lexicon's phrases never overlap."""
    if terms is None:
        return []
    if terms[-1].end > sentence.end:
        terms.pop()
    return terms


def extract_strikes(doc: Analysis, found: Found) -> list[StrikeAction]:
    """Strike actions, one per block of days a sentence ties to a strike."""
    del found  # strikes read no other fact type
    sentences = _Sentences(doc)
    for reading in _candidates(doc):
        sentences.read(reading)
    dated = sentences.found
    if dated:
        dated = merge_list_runs(dated)
        dated = merge_continuations(dated)
        dated = apply_ends(dated, sentences.ends)
        dated = same_day_suspensions(dated, sentences.suspended_weeks)
        dated = known_statuses(dated)
    months = months_kept(sentences.month_only, dated)
    everything = sorted([*dated, *months, *sentences.undated], key=lambda f: f.action.char_start)
    return [item.action for item in everything]


def to_gold(row: dict) -> dict:
    """An extracted.strike_actions row in the gold's terms: a start known only to the month is
    `start_month`, with `start` null, as the gold writes it."""
    precision = row.get("start_precision")
    starts_at = row.get("starts_at")
    month = precision == "month" and starts_at is not None
    return {
        **provenance(row),
        "group": row.get("staff_group"),
        "start": None if month else time_text(starts_at, precision),
        "start_month": time_text(starts_at, "month") if month else None,
        "end": time_text(row.get("ends_at"), "minute" if precision == "minute" else None),
        "scope": row.get("scope"),
        "status": row.get("status"),
    }


FACT_TYPE = FactType(
    name="strike",
    table="strike_actions",
    record=StrikeAction,
    extract=extract_strikes,
    gold_fields=("group", "start", "end", "scope", "status"),
    match_key=("start",),
    to_gold=to_gold,
    colour="#d62728",
)

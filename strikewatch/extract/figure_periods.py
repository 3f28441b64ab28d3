"""The days a figure covers, from its own words, its sentence, or the strike it reports on.

figure_period(SentenceDays(doc, sentence), figure, segment, context, default, carried)
    -> (first, last)
    A day in the figure's own words or earlier in its sentence ("last month's strike, from
    13 to 16 March, saw ..."; "the 12 months to 31 March"), else its table's heading, else
    the period of the figure it carries on, else `default` (the strike the article reports
    on), unless the words date it otherwise ("this winter", "in April", "so far") or put it
    in a week that strike is not in ("last week").
covered_strike_days(doc, strikes), named_strike_days(doc, strikes),
planned_strike_days(doc, strikes)
    The days of the held strike the article reports on, of the one strike "the strike" means,
    and of the one round of strikes the article announces; counted_strike_days(doc, sentence,
    strikes): the strikes a running total counts ("two strikes in December").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import cached_property

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.facts import Fact
from strikewatch.extract.numbers import Quantity, parse_number
from strikewatch.extract.periods import statement_date_spans
from strikewatch.extract.strike_mentions import action_days, reported_strike_days
from strikewatch.lexicon import lexicon

_VAGUE_PERIOD = re.compile(
    r"\b(?:this|last|over\s+the)\s+(?:winter|summer|spring|autumn|year)\b|\bso\s+far\b"
    r"|\bsince\s+(?:\w+\s+){0,2}\w+",
    re.IGNORECASE,
)
_STRETCH_TO = re.compile(  # "during the 12 months to 31 March"
    rf"\b(?P<count>\d+|{lexicon('number_words').pattern()}|a)\s+(?P<unit>days?|weeks?|months?|years?)"
    r"\s+(?:to|ending|up\s+to)\s+(?:on\s+)?$",
    re.IGNORECASE,
)
_JOINED_VERB = re.compile(
    r"\s(?:and|but)\s+(?!\d|(?:a|an|the|about|around|nearly|almost|more|over|up|some|another)\b)"
    r"[a-z]+(?:s|ed)\b"
)
_SAME_PERIOD = re.compile(
    r"\b(?:those|these)\s+(?:dates|days|weeks)\b|\b(?:that|the\s+same)\s+period\b", re.IGNORECASE
)
_VAGUE_WORDS = ("winter", "summer", "spring", "autumn", "year", "far", "since")  # _VAGUE_PERIOD's
_CALENDAR_DAY = re.compile(rf"\d|{lexicon('months').pattern()}")
_COUNTED_STRIKES = re.compile(
    rf"\b(?P<n>\d|{lexicon('number_words').pattern()})\s+(?:[\w'-]+\s+){{0,2}}?"
    rf"(?:strikes|walkouts|stoppages)\s+in\s+(?P<month>{lexicon('months').pattern()})\b",
    re.IGNORECASE,
)
_COUNTED = ("strikes", "walkouts", "stoppages")  # one of which _COUNTED_STRIKES needs
WEEK_OF_ACTION = 7  # announced strikes this close together are one round of action
_LAST_WEEK = re.compile(r"\blast\s+week(?:['’]s)?\b", re.IGNORECASE)


def _days_named(
    doc: Analysis, spans: list[tuple[int, int]], said_on: list[tuple[int, int]]
) -> tuple[dt.date, dt.date] | None:
    """First and last day named in the first span that names any (statement dates left out);
    "the 12 months to 31 March" runs from 1 April a year before."""
    for start, end in spans:
        days = [
            d
            for d in doc.dates_in(start, end)
            if d.precision == "day" and (d.char_start, d.char_end) not in said_on
        ]
        if days:
            first, last = days[0].start, days[-1].end or days[-1].start
            stretch = _STRETCH_TO.search(
                doc.norm, max(start, days[-1].char_start - 40), days[-1].char_start
            )
            if len(days) == 1 and stretch:
                first = _stretch_start(last, int(_small(stretch["count"])), stretch["unit"].lower())
            return first, last
    return None


def _small(word: str) -> float:
    value = parse_number(word)
    return value if value is not None else 1.0


def _stretch_start(last: dt.date, count: int, unit: str) -> dt.date:
    """First day of the `count` days, weeks, months or years that end on `last`."""
    if unit.startswith("day"):
        return last - dt.timedelta(days=count - 1)
    if unit.startswith("week"):
        return last - dt.timedelta(days=7 * count - 1)
    months = count * (12 if unit.startswith("year") else 1)
    year, month = divmod(last.year * 12 + last.month - 1 - months, 12)
    day = min(last.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day) + dt.timedelta(days=1)


def _own_words(doc: Analysis, figure: Quantity, segment: tuple[int, int]) -> tuple[int, int]:
    """The figure's segment, up to a verb phrase joined on after it ("... sailings at both ports
    and expects delays until Sunday")."""
    joined = _JOINED_VERB.search(doc.norm, figure.char_end, segment[1])
    return segment[0], joined.start() if joined else segment[1]


class SentenceDays:
    """What a sentence says of the days its figures cover, each looked for once, when a figure
    of it first needs it: the dates that date a statement, and whether it names the same period
    as before ("those dates"), a vague one ("this winter", a month) or "last week"."""

    def __init__(self, doc: Analysis, sentence: Sentence) -> None:
        self.doc, self.sentence = doc, sentence

    @cached_property
    def words(self) -> str:
        return self.doc.norm[self.sentence.start : self.sentence.end]

    @cached_property
    def said_on(self) -> list[tuple[int, int]]:
        doc = self.doc

        def has_a_figure(start: int, end: int) -> bool:
            return any(ch.isdigit() for ch in doc.norm[start:end])

        return statement_date_spans(doc, self.sentence, linked=has_a_figure)

    @cached_property
    def folded_words(self) -> str:
        return self.doc.folded[self.sentence.start : self.sentence.end]

    @cached_property
    def same_period(self) -> bool:
        return bool(_SAME_PERIOD.search(self.words))

    @cached_property
    def vague(self) -> bool:
        vague_words = any(word in self.folded_words for word in _VAGUE_WORDS)
        return bool(vague_words and _VAGUE_PERIOD.search(self.words)) or any(
            d.precision != "day" for d in self.doc.dates_in(self.sentence.start, self.sentence.end)
        )

    @cached_property
    def last_week(self) -> bool:
        return "week" in self.folded_words and bool(_LAST_WEEK.search(self.words))


def figure_period(
    said: SentenceDays,
    figure: Quantity,
    segment: tuple[int, int],
    context: tuple[int, int] | None,
    default: tuple[dt.date, dt.date] | None,
    carried: tuple[dt.date | None, dt.date | None] | None,
) -> tuple[dt.date | None, dt.date | None]:
    """First and last day the figure covers: a day in its own words, earlier in its sentence
    (the strike it names: "last month's strike, from 13 to 16 March, saw ..."), or in its
    table's heading; else the period of the figure it carries on; else the strike the article
    reports on, unless the words date it otherwise ("this winter", "in April", "so far") or put
    it in a week that strike is not in ("last week")."""
    doc, sentence = said.doc, said.sentence
    weekdays = _weekdays_by_the_sentence(doc, sentence, figure)
    if weekdays is not None:
        return weekdays
    spans = [_own_words(doc, figure, segment), (sentence.start, figure.char_start)]
    if context is not None:
        spans.append(context)
    days = _days_named(doc, spans, said.said_on)
    if days:
        return days
    if carried is not None and (carried[0] is not None or said.same_period):
        return carried
    if default is None or said.vague:
        return None, None
    if said.last_week and doc.published is not None:
        monday = doc.published - dt.timedelta(days=doc.published.weekday() + 7)
        if not monday <= default[0] < monday + dt.timedelta(days=7):
            return None, None
    return default


def _weekdays_by_the_sentence(
    doc: Analysis, sentence: Sentence, figure: Quantity
) -> tuple[dt.date, dt.date] | None:
    """In a text without a published date, the weekdays of the figure's clause read in the week
    of the first calendar day its sentence names ("Stoppages on Wednesday, March 8 and ... mean
    ferry crossings are halted from Tuesday to Thursday, with 900 sailings called off")."""
    if doc.published is not None:
        return None
    clause = doc.clause_around(sentence, figure.char_start, figure.char_end)
    if not doc.has("weekdays", *clause) or doc.dates_in(*clause):
        return None
    named = [d for d in doc.dates_in(sentence.start, sentence.end) if d.precision == "day"]
    if not named:
        return None
    monday = named[0].start - dt.timedelta(days=named[0].start.weekday())
    days = [
        monday + dt.timedelta(days=int(term.label)) for term in doc.terms_in("weekdays", *clause)
    ]
    return min(days), max(days)


def _is_dated(doc: Analysis, strike: Fact) -> bool:
    """Whether a strike's own words give a calendar day ("20 December"), not only a relative
    one ("on Wednesday", "today")."""
    return any(
        d.precision == "day" and _CALENDAR_DAY.search(doc.norm, d.char_start, d.char_end)
        for d in doc.dates_in(strike.char_start, strike.char_end)
    )


def strike_days(doc: Analysis, strike: Fact) -> tuple[dt.date, dt.date] | None:
    """First and last day of a strike (strike_mentions.action_days); a strike that ends early on
    a day its sentence names ("finished at 7am on Saturday (23 December)") covers that day too."""
    days = action_days(strike)
    ends_at = getattr(strike, "ends_at", None)
    if days is None or ends_at is None or ends_at.date() <= days[1]:
        return days
    sentence = doc.sentence_at(strike.char_start)
    span = (sentence.start, sentence.end) if sentence else (strike.char_start, strike.char_end)
    named = any(
        d.precision == "day" and ends_at.date() in (d.start, d.end) for d in doc.dates_in(*span)
    )
    return (days[0], ends_at.date()) if named else days


def covered_strike_days(doc: Analysis, strikes: list) -> tuple[dt.date, dt.date] | None:
    """The days of the held strike the article reports on (strike_mentions.reported_strike_days),
    among the strikes the text dates: by a calendar day, or by a publication date the text itself
    gives; None when there is none."""
    dated = [s for s in strikes if doc.dated_by_text or _is_dated(doc, s)]
    return reported_strike_days(dated, doc.published, lambda s: strike_days(doc, s))


def counted_strike_days(
    doc: Analysis, sentence: Sentence, strikes: list
) -> tuple[dt.date, dt.date] | None:
    """First and last day of the strikes a running total's sentence counts, when the text dates
    exactly that many held strikes in the month it names ("staged three walkouts in October,
    during which 12,500 clinics were called off")."""
    if not any(doc.folded.find(word, sentence.start, sentence.end) >= 0 for word in _COUNTED):
        return None
    counted = _COUNTED_STRIKES.search(doc.norm, sentence.start, sentence.end)
    if counted is None:
        return None
    month = int(lexicon("months").label(counted["month"]) or 0)
    spans = {
        days
        for strike in strikes
        if strike.status == "held"
        and (days := strike_days(doc, strike)) is not None
        and days[0].month == month
        and (doc.published is None or days[0] <= doc.published)
    }
    if len(spans) != int(parse_number(counted["n"]) or 0):
        return None
    return min(span[0] for span in spans), max(span[1] for span in spans)


def planned_strike_days(doc: Analysis, strikes: list) -> tuple[dt.date, dt.date] | None:
    """First and last day of the strikes an article announces, when they are all dated and fall
    within one week: the days a figure said of the future ("will be cancelled") covers."""
    spans = [strike_days(doc, s) for s in strikes if s.status == "planned"]
    if not spans or None in spans:
        return None
    first, last = min(span[0] for span in spans), max(span[1] for span in spans)
    return (first, last) if (last - first).days < WEEK_OF_ACTION else None


def named_strike_days(doc: Analysis, strikes: list) -> tuple[dt.date, dt.date] | None:
    """The days of the one strike the article dates by calendar days, whatever its status:
    what "the strike" means in a sentence that names no other."""
    spans = [strike_days(doc, s) for s in strikes]
    if not spans or None in spans or len({span[0] for span in spans}) != 1:
        return None
    days = [span for s, span in zip(strikes, spans, strict=True) if _is_dated(doc, s)]
    return max(days, key=lambda span: span[1]) if days else None

"""Strike actions: who walks out, from when to when, what is withdrawn, and whether it happened.

A sentence yields one action per block of consecutive days it ties to a strike ("on 28 February,
2 March and from 13 to 17 March" is three actions; "on 18 and 19 January" is one). A day is tied
to a strike when it lies in a clause naming one, or within a few words of one, directly or
through the sentence's other days and clock times. Rows of a list under a heading that names
strikes, and lines that are only a day under such a heading, count too.

Left out: dates of a statement ("told the BBC on Monday that ...", "on Thursday as figures
revealed"), of talks and of a comparison ("compared to February 7"), a poll's fieldwork, a
ballot's sentence, publication stamps, and days that are the nth day of a strike already under
way ("enters its sixth day tomorrow"). "striking doctors" says who strikes, not when.

Ends: a clock range is daily hours; a start time plus hours gives the end; a day range without
times ends on its last day; a sentence saying when a strike finishes ("will finish at 8am on
Wednesday", "until Thursday" ... "until 6 a.m.") gives the end of the article's latest action
that began before it; a next-day continuation ("again on Wednesday, between the same hours")
extends the action it continues.

Without a day: "the second day of strike action" is the day before publication; a past strike
known only by its month keeps the month (start_precision "month"), a future one too unless it is
an allusion ("more set to take place next month") or the article dates a strike of that group in
that month; a past strike reported as an event with no day at all ("began a six-day walkout")
is kept with no start.

Status: suspended when its clause says it was called off, suspended, or only previously set;
otherwise planned if it starts after the published date, held if on or before it; a text without
a published date is read by its tense (unknown when it has none).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from strikewatch.extract.analysis import Analysis, Sentence, Term
from strikewatch.extract.dates import DateMention
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.periods import (
    Period,
    attach_times,
    block_period,
    day_blocks,
    published_day_period,
    statement_date_spans,
)
from strikewatch.goldformat import provenance, time_text
from strikewatch.lexicon import lexicon

LINK_WORDS = 6  # a day this many words from a strike (or a day or time tied to it) is its day
CLAUSE_LINK_WORDS = 12  # else a day in the strike's clause, this close, is its day
ROW_CHARS = 120  # a row of a list under a heading is a short line
HEADLINE_SENTENCES = 2  # the first sentences of a text, where its headline is
MONTH_LINK_WORDS = 5  # a month alone must be closer, with no figure between
END_WORDS_BEFORE = 5  # "the end of the strikes on Wednesday": how far an end word may lie
MAX_END_DAYS = 7  # an end statement belongs to an action that began at most a week before

_SUSPENSION = rf"(?:{lexicon('suspension_words').pattern()}|{lexicon('cancel_words').pattern()})"
_STRIKE_NOUN = r"(?:strikes?|walk-?outs?|stoppages?|action)"
_SUSPENDED = re.compile(
    rf"\b{_STRIKE_NOUN}\b[^.;]{{0,80}}?\b(?:was|were|has\s+been|have\s+been|had\s+been"
    rf"|is\s+being|are\s+being)\s+(?:\w+\s+)?{_SUSPENSION}\b"
    rf"|\b{_SUSPENSION}\s+(?:the\s+|a\s+|its\s+|their\s+|planned\s+)?(?:[\w'’-]+\s+){{0,3}}?"
    rf"{_STRIKE_NOUN}"
    r"|\b(?:was|were|had\s+been)\s+(?:originally\s+)?(?:planned|scheduled|due|set)\s+(?:for|on)\b"
    r"|\bpreviously\s+(?:planned|scheduled|due|set)\s+(?:for|on)\b",
    re.IGNORECASE,
)
_SET_FOR = re.compile(r"\b(?:planned|scheduled|due|set)\s+(?:for|on)\b", re.IGNORECASE)
_CONTRAST = re.compile(r"(?i),?\s+(?:but|while|whereas|although)\s+|;\s*")
_POSSESSIVE = re.compile(r"'s(?:\s+[\w-]+){1,3}")
_ORDINAL_DAY = re.compile(
    rf"(?i)\b(?P<ordinal>{lexicon('day_ordinals').pattern()})\s+(?:full\s+|school\s+|working\s+)?"
    r"day\b(?!s)(?!\s+of\s+(?:national\s+|general\s+)?(?:mobili[sz]ation|action\b))"
)
_START_VERB_BEFORE = re.compile(r"(?i)\b(?:began|begins|begin|started|starts|launched|from)\W+$")
_AS_FIGURES_SHOWED = re.compile(r"(?i)^\W*(?:as|when)\s+(?:[\w-]+\s+){0,3}?$")
_ALLUSION = re.compile(
    r"(?i)\b(?:more|further|other|another)\b[^.;]{0,30}?\b(?:set|due|planned|expected)\b"
    r"|\b(?:could|may|might|would)\b"
)
# "ahead of the walkout in March": the strike dates something else
_TIME_OF_SOMETHING_ELSE = re.compile(
    r"(?i)\b(?:ahead\s+of|before|after|since)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?"
    r"(?:[\w'’-]+\s+){0,2}$"
)
# "laid off from May 1st as a result of the strike": the day is the consequence's
_CAUSE_BEFORE = re.compile(
    r"(?i)\b(?:as\s+a\s+result\s+of|because\s+of|due\s+to|owing\s+to|caused\s+by)"
    r"\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,2}$"
)
_EVENT_BETWEEN = re.compile(r"(?i)\b(?:take\s+place|taken|go\s+ahead|begin|start)\b")
_ENDS_AT = re.compile(r"(?i)(?:until|till)\b")
_VOTERS = re.compile(r"(?i)voters?")
_PRONOUN_OPENER = re.compile(r"(?:They|These|Those)\b")
_FIGURE = re.compile(r"\d")
_NOT_A_STRIKE_ACTION = re.compile(
    r"\b(?:legal|short\s+of|disciplinary|take|takes|took|taking|taken)\s+(?:\w+\s+)?$"
)
_STRIKER_NOUN = re.compile(rf"{lexicon('striker_nouns').pattern()}\b")
_ACTION_WORD = re.compile(rf"\b{lexicon('action_words').pattern()}\b")
_FUTURE_WORD = re.compile(rf"(?<![\w'])(?:{lexicon('future_words').pattern()})\b")
_PAST_WORD = re.compile(rf"\b{lexicon('past_words').pattern()}\b")
_NOT_STRIKE_WORD = re.compile(rf"\b{lexicon('not_strike_days').pattern()}\b")
# "talks on Monday", "compared to 7 February": at most two words before the day
_NOT_STRIKE_DAY_BEFORE = re.compile(
    rf"\b{lexicon('not_strike_days').pattern()}\W+(?:[\w'’-]+\W+){{0,2}}$"
)
# A headline's present simple: "Bakers walk out over pay", "Pilots go on strike at dawn".
_HEADLINE_EVENT = re.compile(
    r"(?<!will )(?<!to )(?<!'ll )(?<!would )(?<!could )(?<!may )(?<!might )"
    r"\b(?:go|goes|walk|walks)\s+(?:on\s+strike|out)\b",
    re.IGNORECASE,
)
# "striking porters": a plural noun after "striking" (not "striking across the country")
_PLURAL_NOUN = re.compile(
    r"(?!(?:across|against|as|is|was|this|his|its|us|towards|plus|unless)\b)[a-z]+s\b"
)
_NOT_A_STRIKE_AFTER_STRUCK = re.compile(
    r"\s+(?:a|an|the|down|off|up|by|out|with|at|back|deals?|agreements?)\b", re.IGNORECASE
)
_ASIDE_OPENS = re.compile(r"(?:\s-|\()\s*$")
_OPENING_ADVERBIAL = re.compile(
    r"(?i)\W*(?:on|from|since|by)?\s*"
)  # "On 1 February, the union ..."
_WORD = re.compile(r"[\w'’-]*\w")
_ORGANISATION_BEFORE = re.compile(r"\b(?:of|College|Union|Association)\s+$")


@dataclass(frozen=True, kw_only=True)
class StrikeAction(Fact):
    """A strike action: who, from when to when, what is withdrawn, what became of it."""

    staff_group: str | None
    starts_at: dt.datetime | None  # None: an action reported as an event whose day is not given
    start_precision: str | None
    ends_at: dt.datetime | None
    scope: str | None
    status: str


@dataclass(frozen=True)
class _Found:
    """An action with what the article-level passes need to know about its mention."""

    action: StrikeAction
    continues: bool = False  # worded as the next day of another action
    list_run: int | None = None  # lines that are only a day, in one run under a heading
    own_times: bool = False  # whether its sentence gave it clock times


@dataclass(frozen=True)
class _EndStatement:
    """A sentence saying when a strike finishes: its day and/or clock time."""

    day: dt.date | None
    clock: dt.time | None
    group: str | None
    position: int


# ------------------------------------------------------------------ words and links


def _words(doc: Analysis, start: int, end: int) -> int:
    """Words in doc.norm[start:end] (0 when the span is empty or reversed)."""
    return len(_WORD.findall(doc.norm, start, end)) if end > start else 0


def _strike_terms(doc: Analysis, sentence: Sentence) -> list[Term]:
    """The strike words of a sentence, without "striking" that says who strikes."""
    terms = []
    for term in doc.terms_in("strike_terms", sentence.start, sentence.end):
        written = doc.norm[term.start : term.end].lower()
        if written == "striking":
            after = re.match(r"\s+(?:[A-Z][\w-]*\s+)?", doc.norm[term.end : term.end + 40])
            at = term.end + (after.end() if after else 0)
            noun = _PLURAL_NOUN.match(doc.norm, at)
            if _STRIKER_NOUN.match(doc.norm, at) or doc.term_at("staff_groups", at) or noun:
                continue
        if written == "struck" and _NOT_A_STRIKE_AFTER_STRUCK.match(doc.norm, term.end):
            continue  # "struck a deal"
        terms.append(term)
    return terms


def _weak_terms(doc: Analysis, sentence: Sentence) -> list[Term]:
    """ "action" named right next to a day, in an article about a strike."""
    if not doc.terms["strike_terms"]:
        return []
    terms = []
    for match in _ACTION_WORD.finditer(doc.norm, sentence.start, sentence.end):
        term = Term(match.start(), match.end(), "action")
        before = doc.norm[max(sentence.start, term.start - 12) : term.start].lower()
        if _NOT_A_STRIKE_ACTION.search(before):
            continue  # "legal action", "take action on Monday"
        near = doc.dates_in(term.end, min(sentence.end, term.end + 100))
        if not near:
            continue
        between = _words(doc, term.end, near[0].char_start)
        event = _EVENT_BETWEEN.search(doc.norm, term.end, near[0].char_start)
        if between <= 4 or (event and between <= 10):
            terms.append(term)
    return terms


def _linked(
    doc: Analysis,
    sentence: Sentence,
    anchors: Sequence[tuple[int, int]],
    mentions: Sequence[tuple[int, int]],
) -> set[tuple[int, int]]:
    """The mentions tied to an anchor (a strike word): within LINK_WORDS words of it or of a
    mention already tied; failing that, in its clause and at most CLAUSE_LINK_WORDS from it. An
    anchor named as a cause ("as a result of the strike") ties only what follows it."""

    def gap(left: tuple[int, int], right: tuple[int, int]) -> int | None:
        if right[0] >= left[1]:
            return _words(doc, left[1], right[0])
        return None

    def forward_only(anchor: tuple[int, int]) -> bool:
        before = doc.norm[max(sentence.start, anchor[0] - 40) : anchor[0]]
        return anchor in anchors and bool(_CAUSE_BEFORE.search(before))

    linked: set[tuple[int, int]] = set()
    frontier = list(anchors)
    while frontier:
        source = frontier.pop()
        for mention in mentions:
            if mention in linked:
                continue
            distance = gap(source, mention)
            if distance is None and not forward_only(source):
                distance = gap(mention, source)
            if distance is not None and distance <= LINK_WORDS:
                linked.add(mention)
                frontier.append(mention)
    if linked:
        return linked
    for mention in mentions:
        clause = doc.clause_around(sentence, *mention)
        if (
            _OPENING_ADVERBIAL.fullmatch(doc.norm, clause[0], mention[0])
            and clause[1] == mention[1]
        ):
            clause = doc.clause_around(sentence, mention[0], min(sentence.end, clause[1] + 2))
        elif _ASIDE_OPENS.search(doc.norm, max(sentence.start, clause[0] - 3), clause[0]):
            # an aside between dashes or brackets qualifies the clause before it
            clause = doc.clause_around(sentence, max(sentence.start, clause[0] - 4), clause[1])
        for anchor in anchors:
            distance = gap(anchor, mention)
            if distance is None and not forward_only(anchor):
                distance = gap(mention, anchor)
            inside = clause[0] <= anchor[0] and anchor[1] <= clause[1]
            if inside and distance is not None and distance <= CLAUSE_LINK_WORDS:
                linked.add(mention)
    if linked:
        return _linked(doc, sentence, sorted(linked), mentions) | linked
    return linked


# ------------------------------------------------------------------ dates a sentence ignores


def _ignored_dates(doc: Analysis, sentence: Sentence) -> list[tuple[int, int]]:
    """Dates and times of the sentence that date a statement, a poll's fieldwork, talks, a
    comparison, or a later day of a strike under way."""

    def names_a_strike(start: int, end: int) -> bool:
        return doc.has("strike_terms", start, end)

    ignored = statement_date_spans(doc, sentence, linked=names_a_strike)
    ordinal = _ORDINAL_DAY.search(doc.norm, sentence.start, sentence.end)
    later_day = ordinal is not None and _ordinal(ordinal) > 1
    for mention in doc.dates_in(sentence.start, sentence.end):
        span = (mention.char_start, mention.char_end)
        before = doc.norm[max(sentence.start, mention.char_start - 40) : mention.char_start]
        possessor = _POSSESSIVE.match(doc.norm, mention.char_end, sentence.end)
        if possessor and not doc.has("strike_terms", *possessor.span()):
            ignored.append(span)  # "March's ballot"
            continue
        fieldwork = doc.last(
            "fieldwork_words", max(sentence.start, mention.char_start - 40), mention.char_start
        )
        if fieldwork and _words(doc, fieldwork.end, mention.char_start) <= 2:
            ignored.append(span)
            continue
        other = _NOT_STRIKE_DAY_BEFORE.search(
            doc.norm, max(sentence.start, mention.char_start - 40), mention.char_start
        )
        if other:
            ignored.append(span)  # "talks on Monday", "compared to 7 February"
            continue
        verb = doc.first("reporting_verbs", mention.char_end, min(sentence.end, span[1] + 40))
        if verb and _AS_FIGURES_SHOWED.match(doc.norm[mention.char_end : verb.start]):
            ignored.append(span)  # "laid bare on Thursday as figures revealed"
            continue
        written = doc.norm[mention.char_start : mention.char_end]
        if later_day and not _FIGURE.search(written) and not _START_VERB_BEFORE.search(before):
            ignored.append(span)  # "will enter its sixth day tomorrow"
    return ignored


def _ordinal(match: re.Match[str]) -> int:
    return int(lexicon("day_ordinals").label(match["ordinal"]) or 1)


def _outside(ignored: Sequence[tuple[int, int]], start: int) -> bool:
    return not any(a <= start < b for a, b in ignored)


# ------------------------------------------------------------------ attributes


def _scope(doc: Analysis, start: int, end: int) -> str | None:
    """What the action withdraws or keeps, as the text's wording maps onto fixed labels."""
    labels = {term.label for term in doc.terms_in("strike_scopes", start, end)}
    for term in doc.terms_in("strike_terms", start, end):
        if term.label in ("all-out", "collective action"):
            labels.add(term.label)
    order = [*lexicon("strike_scopes").labels.values(), "all-out", "collective action"]
    ordered = [label for label in dict.fromkeys(order) if label in labels]
    return ", ".join(ordered) if ordered else None


def _staff_groups(doc: Analysis, start: int, end: int) -> list[Term]:
    """Staff groups named in a span, without those inside an organisation's name ("the Royal
    College of Midwives")."""
    groups = []
    for term in doc.terms_in("staff_groups", start, end):
        written = doc.norm[term.start : term.end]
        before = doc.norm[max(0, term.start - 12) : term.start]
        if written[:1].isupper() and _ORGANISATION_BEFORE.search(before):
            continue
        groups.append(term)
    return groups


def _group_label(group: str | None, union: str | None) -> str | None:
    """The staff group; the union's members when only the union is named."""
    if group:
        return group
    return f"{union} members" if union else None


class _Groups:
    """Who strikes: the staff group named nearest the strike, else the previous sentence's for
    a sentence opening with "They", else the group the article names most."""

    def __init__(self, doc: Analysis) -> None:
        self.doc = doc
        groups = _staff_groups(doc, 0, len(doc.norm))
        unions = doc.terms["unions"]
        self.article_group = (
            Counter(t.label for t in groups).most_common(1)[0][0] if groups else None
        )
        self.article_union = (
            Counter(t.label for t in unions).most_common(1)[0][0] if unions else None
        )

    def of(self, sentence: Sentence, position: int) -> str | None:
        doc = self.doc
        groups = _staff_groups(doc, sentence.start, sentence.end)
        if not groups and _PRONOUN_OPENER.match(doc.norm, sentence.start):
            index = doc.sentence_index(sentence)
            if index > 0:
                previous = doc.sentences[index - 1]
                groups = _staff_groups(doc, previous.start, previous.end)
        if groups:
            return min(groups, key=lambda g: abs(g.start - position)).label
        unions = doc.terms_in("unions", sentence.start, sentence.end)
        if unions and not self.article_group:
            return _group_label(None, min(unions, key=lambda u: abs(u.start - position)).label)
        return _group_label(self.article_group, self.article_union)


def _says_suspended(doc: Analysis, start: int, end: int) -> bool:
    """Whether doc.norm[start:end] says a strike was called off, suspended or only set before."""
    if not (
        doc.has("suspension_words", start, end)
        or doc.has("cancel_words", start, end)
        or _SET_FOR.search(doc.norm, start, end)
    ):
        return False  # the full pattern is slow; most sentences have none of its words
    return bool(_SUSPENDED.search(doc.norm, start, end))


def _status_window(doc: Analysis, sentence: Sentence, position: int) -> tuple[int, int]:
    """The part of the sentence, between contrasting conjunctions, holding a position."""
    start, end = sentence.start, sentence.end
    for cut in _CONTRAST.finditer(doc.norm, sentence.start, sentence.end):
        if cut.end() <= position:
            start = cut.end()
        elif cut.start() >= position:
            end = cut.start()
            break
    return start, end


def _status(
    doc: Analysis, sentence: Sentence, position: int, starts_at: dt.datetime | None, precision
) -> str:
    """suspended / planned / held / unknown, from the wording and the published date."""
    start, end = _status_window(doc, sentence, position)
    if _says_suspended(doc, start, end):
        return "suspended"
    published = doc.published
    if published is not None and starts_at is not None:
        if precision == "month":
            this_month = published.replace(day=1)
            if starts_at.date() != this_month:
                return "planned" if starts_at.date() > this_month else "held"
        else:
            return "planned" if starts_at.date() > published else "held"
    return _tense(doc, start, end)


def _tense(doc: Analysis, start: int, end: int) -> str:
    """planned / held from the wording's tense; unknown when it shows none."""
    future = _FUTURE_WORD.search(doc.norm, start, end)
    past = _PAST_WORD.search(doc.norm, start, end)
    if future and not past:
        return "planned"
    if past and not future:
        return "held"
    if future and past:
        return "planned" if future.start() < past.start() else "held"
    return "unknown"


# ------------------------------------------------------------------ one sentence


def _strike_heading(doc: Analysis, sentence: Sentence) -> tuple[int, int] | None:
    """The heading (a line ending with ":" or "?") naming strikes that the sentence is a row
    under, when the sentence is a short line of a list under it; else None."""
    line = doc.line_number(sentence.start)
    line_start, line_end = doc.line_span(line)
    row = doc.norm[sentence.start : sentence.end]
    if doc.norm[line_start:line_end].strip(" \t•*·▪–—-") != row or len(row) > ROW_CHARS:
        return None
    if any(
        doc.has(name, sentence.start, sentence.end) for name in ("ballot_words", "reporting_verbs")
    ) or _NOT_STRIKE_WORD.search(row):
        return None  # a timeline row about a ballot, talks or a statement
    seen = 0
    number = line - 1
    while number >= 0 and seen < 6:
        start, end = doc.line_span(number)
        text = doc.norm[start:end].strip()
        number -= 1
        if not text:
            continue
        seen += 1
        if text.endswith((":", "?")):
            return (start, end) if doc.has("strike_terms", start, end) else None
        if not doc.dates_in(start, end):
            return None
    return None


def _only_a_day(doc: Analysis, sentence: Sentence) -> bool:
    """Whether the sentence is nothing but one date ("Wednesday, January 18")."""
    dates = doc.dates_in(sentence.start, sentence.end)
    return (
        len(dates) == 1
        and not doc.norm[sentence.start : dates[0].char_start].strip(" ,")
        and not doc.norm[dates[0].char_end : sentence.end].strip(" ,.")
    )


class _Sentences:
    """The rule applied sentence by sentence, with what later sentences need."""

    def __init__(self, doc: Analysis) -> None:
        self.doc = doc
        self.groups = _Groups(doc)
        self.found: list[_Found] = []
        self.month_only: list[_Found] = []
        self.undated: list[_Found] = []
        self.ends: list[_EndStatement] = []
        self.suspended_weeks: list[tuple[dt.date, dt.date]] = []
        self.list_run = 0
        self.last_list_line = -2

    def read(self, sentence: Sentence) -> None:
        doc = self.doc
        terms = _strike_terms(doc, sentence) + doc.terms_in(
            "strike_scopes", sentence.start, sentence.end
        )
        heading = None
        if not terms:
            if not doc.dates_in(sentence.start, sentence.end):
                return  # "action" and list rows count only with a day
            terms = _weak_terms(doc, sentence)
        if not terms:
            heading = _strike_heading(doc, sentence)
            if heading is None:
                return
        elif self._about_a_ballot(sentence):
            return
        from_heading = heading is not None
        if doc.skip.contains(sentence.start):
            return
        self._suspended_week(sentence, terms)
        ignored = _ignored_dates(doc, sentence)
        dates = [
            d
            for d in doc.dates_in(sentence.start, sentence.end)
            if d.precision != "year" and _outside(ignored, d.char_start)
        ]
        times = [
            t for t in doc.times_in(sentence.start, sentence.end) if _outside(ignored, t.char_start)
        ]
        durations = doc.durations_in(sentence.start, sentence.end)
        anchors = [(t.start, t.end) for t in terms]
        if not from_heading:
            spans = [(d.char_start, d.char_end) for d in dates]
            spans += [(t.char_start, t.char_end) for t in times]
            spans += [(d.char_start, d.char_end) for d in durations]
            linked = _linked(doc, sentence, anchors, spans)
            dates = [d for d in dates if (d.char_start, d.char_end) in linked]
            times = [t for t in times if (t.char_start, t.char_end) in linked]
        first = min([d.char_start for d in dates] + [t.char_start for t in times], default=None)
        if first is not None and self._end_statement(sentence, first, dates, times):
            return
        days = [d for d in dates if d.precision == "day"]
        months = [d for d in dates if d.precision == "month"]
        if days:
            self._dated(sentence, terms, days, times, durations, heading)
        elif times and doc.published:
            period = published_day_period(doc.published, times, durations)
            self._add(sentence, terms, times[0].char_start, times[0].char_end, period)
        elif months and terms:
            self._by_month(sentence, terms, months[0])
        elif terms and not doc.dates_in(sentence.start, sentence.end) and not times:
            self._without_day(sentence, terms, durations)

    # --- the kinds of sentence

    def _dated(self, sentence, terms, days, times, durations, heading) -> None:
        doc = self.doc
        blocks = day_blocks(doc, days, times)
        attached = attach_times(days, times)
        ranges = [t for t in times if t.end is not None]
        shared = ranges[0] if len(times) == 1 and ranges else None
        only_day = heading is not None and _only_a_day(doc, sentence)
        if only_day:
            line = doc.line_number(sentence.start)
            if line - self.last_list_line > 3:
                self.list_run += 1
            self.last_list_line = line
        for block in blocks:
            own = [t for m in block.mentions for t in attached.get(m.char_start, [])]
            own = list(dict.fromkeys(own))
            period = block_period(block, own, shared, durations)
            self._add(
                sentence,
                terms,
                min([block.start] + [t.char_start for t in own]),
                max([block.end] + [t.char_end for t in own]),
                period,
                list_run=self.list_run if only_day else None,
                own_times=bool(own) or shared is not None,
                heading=heading,
            )

    def _by_month(self, sentence, terms, month: DateMention) -> None:
        doc = self.doc
        term = min(terms, key=lambda t: abs(t.start - month.char_start))
        left, right = sorted((term.end, month.char_start))
        if month.char_start < term.start:
            left, right = month.char_end, term.start
        between = doc.norm[left:right]
        if _words(doc, left, right) > MONTH_LINK_WORDS or _FIGURE.search(between):
            return
        window = _status_window(doc, sentence, month.char_start)
        if _ALLUSION.search(doc.norm, *window) or _TIME_OF_SOMETHING_ELSE.search(
            doc.norm[max(sentence.start, term.start - 40) : term.start]
        ):
            return
        period = Period(dt.datetime.combine(month.start, dt.time(0)), "month", None)
        found = self._make(sentence, terms, month.char_start, month.char_end, period)
        if found is not None:
            self.month_only.append(found)

    def _without_day(self, sentence, terms, durations) -> None:
        """The nth day of a strike under way, a headline's strike of the day ("Bakers walk
        out over pay"), or a past strike reported as an event."""
        doc = self.doc
        first = doc.sentence_index(sentence) < HEADLINE_SENTENCES
        headline = first and _HEADLINE_EVENT.search(doc.norm, sentence.start, sentence.end)
        if headline and doc.published:
            period = Period(dt.datetime.combine(doc.published, dt.time(0)), "day", None)
            self._add(sentence, terms, headline.start(), headline.end(), period)
            return
        ordinal = _ORDINAL_DAY.search(doc.norm, sentence.start, sentence.end)
        if (
            ordinal
            and _ordinal(ordinal) <= 2
            and doc.published
            and _tense(doc, sentence.start, sentence.end) != "held"
            and doc.has("strike_terms", ordinal.end(), min(sentence.end, ordinal.end() + 40))
        ):
            day = doc.published - dt.timedelta(days=_ordinal(ordinal) - 1)
            period = Period(dt.datetime.combine(day, dt.time(0)), "day", None)
            self._add(sentence, terms, ordinal.start(), ordinal.end(), period)
            return
        for duration in durations:
            term = doc.first("strike_terms", duration.char_end, duration.char_end + 25)
            if term is None or _words(doc, duration.char_end, term.start) > 1:
                continue
            window = _status_window(doc, sentence, term.start)
            if _tense(doc, *window) != "held":
                continue
            start, end = doc.clause_around(sentence, duration.char_start, term.end)
            self.undated.append(
                _Found(
                    StrikeAction(
                        char_start=start,
                        char_end=end,
                        staff_group=self.groups.of(sentence, term.start),
                        starts_at=None,
                        start_precision=None,
                        ends_at=None,
                        scope=_scope(doc, sentence.start, sentence.end),
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
            if _VOTERS.fullmatch(doc.norm[term.start : term.end]):
                continue  # "Labour voters" answer polls
            start, end = doc.clause_around(sentence, term.start, term.end)
            if doc.has("strike_terms", start, end) or doc.dates_in(start, end):
                return True
        return False

    def _end_statement(self, sentence, first: int, dates, times) -> bool:
        """Record a sentence saying when a strike finishes; True when it is one."""
        doc = self.doc
        word = doc.last("end_words", max(sentence.start, first - 60), first)
        if _ENDS_AT.match(doc.norm, first):
            word = doc.first("end_words", first, first + 6)
        nearby = doc.terms_in("strike_terms", word.start - 30, word.end + 30) if word else []
        if word and any(t.start <= word.start < t.end for t in nearby):
            word = None  # "stop work from 9am"
        if not word or _words(doc, word.end, first) > END_WORDS_BEFORE:
            return False
        after = [d for d in dates if d.char_end > word.end and d.precision == "day"]
        clocks = [t for t in times if t.char_end > word.end]
        day = (after[0].end or after[0].start) if after else None
        clock = (clocks[0].end or clocks[0].start) if clocks else None
        group = self.groups.of(sentence, word.start)
        self.ends.append(_EndStatement(day, clock, group, word.start))
        return True

    def _suspended_week(self, sentence, terms) -> None:
        """A strike "next week" (or "this week") said to be suspended or called off."""
        doc = self.doc
        if doc.published is None or not _says_suspended(doc, sentence.start, sentence.end):
            return
        match = re.search(r"(?i)\b(next|this)\s+week\b", doc.norm[sentence.start : sentence.end])
        if not match:
            return
        monday = doc.published - dt.timedelta(days=doc.published.weekday())
        if match.group(1).lower() == "next":
            monday += dt.timedelta(days=7)
        self.suspended_weeks.append((monday, monday + dt.timedelta(days=6)))

    # --- building actions

    def _make(self, sentence, terms, start, end, period: Period) -> _Found | None:
        doc = self.doc
        if terms:
            term = min(terms, key=lambda t: abs(t.start - start))
            left, right = min(term.start, start), max(term.end, end)
        else:
            left, right = start, end
        clause_start, clause_end = doc.clause_around(sentence, left, right)
        if doc.skip.contains(clause_start):
            return None
        action = StrikeAction(
            char_start=clause_start,
            char_end=clause_end,
            staff_group=self.groups.of(sentence, left),
            starts_at=period.starts_at,
            start_precision=period.start_precision,
            ends_at=period.ends_at,
            scope=_scope(doc, sentence.start, sentence.end),
            status=_status(doc, sentence, start, period.starts_at, period.start_precision),
        )
        return _Found(action, continues=doc.has("continuation_words", sentence.start, sentence.end))

    def _add(
        self, sentence, terms, start, end, period, list_run=None, own_times=True, heading=None
    ) -> None:
        found = self._make(sentence, terms, start, end, period)
        if found is None:
            return
        if found.action.status == "unknown" and heading is not None:
            found = replace(found, action=replace(found.action, status=_tense(self.doc, *heading)))
        self.found.append(replace(found, list_run=list_run, own_times=own_times))


# ------------------------------------------------------------------ the article


def _merge_list_runs(found: list[_Found]) -> list[_Found]:
    """Lines that are only a day, in one run, on consecutive days: one action."""
    merged: list[_Found] = []
    for item in found:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and item.list_run is not None
            and previous.list_run == item.list_run
            and previous.action.starts_at is not None
            and item.action.starts_at is not None
        ):
            last = (previous.action.ends_at or previous.action.starts_at).date()
            if item.action.starts_at.date() == last + dt.timedelta(days=1):
                end = item.action.ends_at or item.action.starts_at
                merged[-1] = replace(previous, action=replace(previous.action, ends_at=end))
                continue
        merged.append(item)
    return merged


def _last_day(action: StrikeAction) -> dt.date:
    assert action.starts_at is not None
    if action.ends_at is None:
        return action.starts_at.date()
    if action.start_precision == "minute":
        return (action.ends_at - dt.timedelta(minutes=1)).date()
    return action.ends_at.date()


def _daily_hours(action: StrikeAction) -> bool:
    """Whether the action runs between clock times on one day (so on later days the same)."""
    return (
        action.start_precision == "minute"
        and action.starts_at is not None
        and action.ends_at is not None
        and action.ends_at.date() == action.starts_at.date()
    )


def _merge_continuations(found: list[_Found]) -> list[_Found]:
    """Actions worded as the next day of an action (its second day) extend it instead."""
    kept = list(found)
    dropped: set[int] = set()
    for index, item in enumerate(found):
        action = item.action
        if not item.continues or action.starts_at is None or action.status == "suspended":
            continue
        if action.start_precision == "month":
            continue
        day = action.starts_at.date()
        continued = [
            other
            for other, candidate in enumerate(kept)
            if other != index
            and other not in dropped
            and candidate.action.starts_at is not None
            and candidate.action.start_precision != "month"
            and candidate.action.status != "suspended"
            and candidate.action.staff_group == action.staff_group
            and _last_day(candidate.action) == day - dt.timedelta(days=1)
        ]
        if not continued:
            continue
        for other in continued:
            earlier = kept[other].action
            end = action.ends_at
            if _daily_hours(earlier) and not item.own_times:
                assert earlier.ends_at is not None
                end = dt.datetime.combine(day, earlier.ends_at.time())
            elif end is None and earlier.start_precision == "day":
                end = dt.datetime.combine(day, dt.time(0))
            if end is not None and (earlier.ends_at is None or end > earlier.ends_at):
                kept[other] = replace(kept[other], action=replace(earlier, ends_at=end))
        dropped.add(index)
    return [item for index, item in enumerate(kept) if index not in dropped]


def _apply_ends(found: list[_Found], ends: list[_EndStatement]) -> list[_Found]:
    """Give each end statement to the latest action that began in the week before it."""
    targets: dict[int, tuple[dt.date | None, dt.time | None]] = {}
    for statement in ends:
        candidates = [
            (index, item.action)
            for index, item in enumerate(found)
            if item.action.starts_at is not None
            and item.action.start_precision in ("day", "minute")
            and item.action.status != "suspended"
            and (statement.group is None or item.action.staff_group == statement.group)
        ]
        if statement.day is not None:
            limit = dt.datetime.combine(statement.day, statement.clock or dt.time(23, 59))
            candidates = [
                (i, a)
                for i, a in candidates
                if a.starts_at < limit
                and a.starts_at.date() >= statement.day - dt.timedelta(days=MAX_END_DAYS)
            ]
        if not candidates:
            continue
        latest = max(a.starts_at for _, a in candidates)
        for index, action in candidates:
            if action.starts_at != latest:
                continue
            day, clock = targets.get(index, (None, None))
            targets[index] = (day or statement.day, clock or statement.clock)
    result = list(found)
    for index, (day, clock) in targets.items():
        action = result[index].action
        end = _stated_end(action, day, clock)
        if (
            end is not None
            and end > action.starts_at
            and (action.ends_at is None or _daily_hours(action) and end > action.ends_at)
        ):
            result[index] = replace(result[index], action=replace(action, ends_at=end))
    return result


def _stated_end(
    action: StrikeAction, day: dt.date | None, clock: dt.time | None
) -> dt.datetime | None:
    """The end an end statement gives an action, when it gives one for certain."""
    if day is None:
        return None
    if clock is not None:
        if clock == dt.time(0):
            return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0))
        return dt.datetime.combine(day, clock)
    if _daily_hours(action):
        assert action.ends_at is not None
        return dt.datetime.combine(day, action.ends_at.time())
    if action.start_precision == "day":
        return dt.datetime.combine(day, dt.time(0))
    return None


def _same_day_suspensions(
    found: list[_Found], weeks: list[tuple[dt.date, dt.date]]
) -> list[_Found]:
    """An action the article says was suspended (by its day, or as next week's) is suspended
    in every mention."""
    suspended = {
        (item.action.staff_group, item.action.starts_at.date())
        for item in found
        if item.action.status == "suspended" and item.action.starts_at is not None
    }
    result = []
    for item in found:
        action = item.action
        if action.starts_at is not None and action.start_precision != "month":
            day = action.starts_at.date()
            in_week = any(first <= day <= last for first, last in weeks)
            if in_week or (action.staff_group, day) in suspended:
                item = replace(item, action=replace(action, status="suspended"))
        result.append(item)
    return result


def _known_statuses(found: list[_Found]) -> list[_Found]:
    """A mention whose status is unknown takes the one other mentions of the same action (same
    group and first day) state."""
    known = {
        (item.action.staff_group, item.action.starts_at.date()): item.action.status
        for item in found
        if item.action.status != "unknown" and item.action.starts_at is not None
    }
    result = []
    for item in found:
        action = item.action
        if action.status == "unknown" and action.starts_at is not None:
            status = known.get((action.staff_group, action.starts_at.date()))
            if status:
                item = replace(item, action=replace(action, status=status))
        result.append(item)
    return result


def _months_kept(month_only: list[_Found], dated: list[_Found]) -> list[_Found]:
    """Month-only actions the article does not also date to a day, once per group and month."""
    dated_months = {
        (item.action.staff_group, item.action.starts_at.replace(day=1).date())
        for item in dated
        if item.action.starts_at is not None
    }
    kept, seen = [], set()
    for item in month_only:
        assert item.action.starts_at is not None
        key = (item.action.staff_group, item.action.starts_at.date())
        if key in dated_months or key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept


def extract_strikes(doc: Analysis, found: Found) -> list[StrikeAction]:
    """Strike actions, one per block of days a sentence ties to a strike."""
    del found  # strikes read no other fact type
    sentences = _Sentences(doc)
    for sentence in doc.sentences:
        sentences.read(sentence)
    dated = _merge_list_runs(sentences.found)
    dated = _merge_continuations(dated)
    dated = _apply_ends(dated, sentences.ends)
    dated = _same_day_suspensions(dated, sentences.suspended_weeks)
    dated = _known_statuses(dated)
    months = _months_kept(sentences.month_only, dated)
    everything = sorted([*dated, *months, *sentences.undated], key=lambda f: f.action.char_start)
    return [item.action for item in everything]


def action_days(action: StrikeAction) -> tuple[dt.date, dt.date] | None:
    """First and last day of an action dated to the day: a timed action covers a day per 24
    hours from its start (24 hours from 8am is one day; 08:00 to 17:00 on two days, two)."""
    if action.starts_at is None or action.start_precision not in ("day", "minute"):
        return None
    first = action.starts_at.date()
    if action.ends_at is None:
        return first, first
    if action.start_precision == "minute":
        spanned = action.ends_at - action.starts_at - dt.timedelta(minutes=1)
        return first, first + dt.timedelta(days=max(spanned // dt.timedelta(days=1), 0))
    return first, max(action.ends_at.date(), first)


def reported_strike_days(
    actions: Sequence[StrikeAction], published: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    """The days of the held strike an article reports on: the one it was published during,
    else the latest before publication, with the days of the actions stated in the same clause
    ("on Tuesday and Thursday"); None when there is none."""
    if published is None:
        return None
    held = [
        (days, action)
        for action in actions
        if action.status == "held" and (days := action_days(action)) and days[0] <= published
    ]
    if not held:
        return None
    (first, last), latest = max(held, key=lambda pair: pair[0][0])
    for action in actions:
        days = action_days(action)
        if days and (action.char_start, action.char_end) == (latest.char_start, latest.char_end):
            last = max(last, days[1])
    return first, last


def to_gold(row: dict) -> dict:
    """A core.strike_actions row in the gold's terms: a start known only to the month is
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

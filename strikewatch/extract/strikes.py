"""Strike actions: who walks out, from when to when, what is withdrawn, and whether it happened.

A sentence yields an action when it names a strike and a day or clock time that belongs to it.
Left out: dates of a statement ("told the BBC on Monday that ... the strike"), end times ("the
strike will finish at 8am on Wednesday"), publication stamps, ballots, a poll's fieldwork, and
past actions known only to the month. Status: suspended when the wording says the action was
called off or was only planned in the past tense; otherwise planned if it starts after the
published date, held if on or before it, unknown without a published date. An action starting
the day after another one of the article is its continuation (a two-day strike) and extends that
one instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, replace

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.periods import resolve_period, statement_date_spans
from strikewatch.goldformat import provenance, time_text
from strikewatch.lexicon import lexicon

_WORDS_BETWEEN = re.compile(r"\s*(?:\S+\s+){0,3}?\S*\s*$")
_POSSESSIVE = re.compile(r"'s(?:\s+[\w-]+){1,3}")
_SUSPENDED = re.compile(
    rf"\b(?:strikes?|walkouts?|stoppages?|action)\s+(?:\w+\s+){{0,3}}?(?:was|were|has\s+been"
    rf"|have\s+been|had\s+been|is\s+being)\s+(?:{lexicon('suspension_words').pattern()}"
    rf"|{lexicon('cancel_words').pattern()})\b"
    rf"|\b(?:{lexicon('suspension_words').pattern()}|{lexicon('cancel_words').pattern()})\s+"
    r"(?:the\s+|a\s+|its\s+|their\s+)?(?:\w+\s+){0,2}?(?:strikes?|walkouts?|stoppages?|action)"
    r"|\b(?:was|were|had\s+been)\s+(?:originally\s+)?(?:planned|scheduled|due|set)\s+(?:for|on)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, kw_only=True)
class StrikeAction(Fact):
    """A strike action: who, from when to when, what is withdrawn, what became of it."""

    staff_group: str | None
    starts_at: dt.datetime
    start_precision: str
    ends_at: dt.datetime | None
    scope: str | None
    status: str


def _few_words_between(doc: Analysis, start: int, end: int, most: int) -> bool:
    """Whether at most `most` words lie in doc.norm[start:end]."""
    return len(doc.norm[start:end].split()) <= most


def _ignored_dates(doc: Analysis, sentence: Sentence) -> list[tuple[int, int]]:
    """Dates of the sentence that date a statement, a poll's fieldwork or another thing."""

    def names_a_strike(start: int, end: int) -> bool:
        return doc.has("strike_terms", start, end)

    ignored = statement_date_spans(doc, sentence, linked=names_a_strike)
    for mention in doc.dates_in(sentence.start, sentence.end):
        possessor = _POSSESSIVE.match(doc.norm, mention.char_end, sentence.end)
        if possessor and not doc.has("strike_terms", *possessor.span()):
            ignored.append((mention.char_start, mention.char_end))  # "March's ballot"
            continue
        fieldwork = doc.last(
            "fieldwork_words", max(sentence.start, mention.char_start - 40), mention.char_start
        )
        if fieldwork and _few_words_between(doc, fieldwork.end, mention.char_start, 2):
            ignored.append((mention.char_start, mention.char_end))
    return ignored


def _mentions(
    doc: Analysis, sentence: Sentence, ignored: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Spans of the sentence's dates and times that may belong to a strike."""
    spans = [(d.char_start, d.char_end) for d in doc.dates_in(sentence.start, sentence.end)]
    spans += [(t.char_start, t.char_end) for t in doc.times_in(sentence.start, sentence.end)]
    return sorted(s for s in spans if not any(a <= s[0] < b for a, b in ignored))


def _first_time_is_an_end(doc: Analysis, sentence: Sentence, first: int) -> bool:
    """Whether the first date or time of the sentence is when a strike finishes."""
    word = doc.last("end_words", max(sentence.start, first - 40), first)
    return bool(word) and _few_words_between(doc, word.end, first, 3)


def _scope(doc: Analysis, sentence: Sentence) -> str | None:
    """What the action withdraws or keeps, as the text's wording maps onto fixed labels."""
    labels = {term.label for term in doc.terms_in("strike_scopes", sentence.start, sentence.end)}
    if any(
        t.label == "all-out" for t in doc.terms_in("strike_terms", sentence.start, sentence.end)
    ):
        labels.add("all-out")
    order = [*lexicon("strike_scopes").labels.values(), "all-out"]
    ordered = [label for label in dict.fromkeys(order) if label in labels]
    return ", ".join(ordered) if ordered else None


def _article_group(doc: Analysis) -> str | None:
    """The staff group the article names most often."""
    counts = Counter(term.label for term in doc.terms["staff_groups"])
    return counts.most_common(1)[0][0] if counts else None


def _status(doc: Analysis, sentence: Sentence, starts_at: dt.datetime) -> str:
    """suspended / planned / held / unknown, from the wording and the published date."""
    if _SUSPENDED.search(doc.norm, sentence.start, sentence.end):
        return "suspended"
    if doc.published is None:
        return "unknown"
    return "planned" if starts_at.date() > doc.published else "held"


def _merge_continuations(actions: list[tuple[StrikeAction, bool]]) -> list[StrikeAction]:
    """Drop actions worded as the next day of another action (its second day), extending it."""
    kept: list[StrikeAction] = []
    by_day: dict[dt.date, int] = {}
    for index, (action, _) in enumerate(actions):
        if action.status != "suspended":
            by_day[action.starts_at.date()] = index
    merged = [action for action, _ in actions]
    dropped: set[int] = set()
    for index, (action, continues) in enumerate(actions):
        previous = by_day.get(action.starts_at.date() - dt.timedelta(days=1))
        if previous is not None and continues and action.status != "suspended":
            end, earlier = action.ends_at, merged[previous]
            if end is not None and (earlier.ends_at is None or end > earlier.ends_at):
                merged[previous] = replace(earlier, ends_at=end)
            dropped.add(index)
    kept = [action for index, action in enumerate(merged) if index not in dropped]
    return kept


def extract_strikes(doc: Analysis, found: Found) -> list[StrikeAction]:
    """Strike actions named with a day or time, one per mention."""
    del found  # strikes read no other fact type
    actions: list[tuple[StrikeAction, bool]] = []
    article_group: str | None = None
    for sentence in doc.sentences:
        terms = doc.terms_in("strike_terms", sentence.start, sentence.end)
        if not terms or doc.has("ballot_words", sentence.start, sentence.end):
            continue
        ignored = _ignored_dates(doc, sentence)
        mentions = _mentions(doc, sentence, ignored)
        if not mentions or _first_time_is_an_end(doc, sentence, mentions[0][0]):
            continue
        period = resolve_period(doc, sentence.start, sentence.end, ignore=ignored)
        if period is None or (
            period.start_precision == "month"
            and period.starts_at.date() <= (doc.published or dt.date.max)
        ):
            continue
        first = mentions[0]
        term = min(terms, key=lambda t: abs(t.start - first[0]))
        start, end = doc.clause_around(sentence, min(term.start, first[0]), max(term.end, first[1]))
        if doc.skip.contains(start):
            continue
        groups = doc.terms_in("staff_groups", sentence.start, sentence.end)
        if groups:
            group = min(groups, key=lambda g: abs(g.start - term.start)).label
        else:
            article_group = article_group or _article_group(doc)
            group = article_group
        action = StrikeAction(
            char_start=start,
            char_end=end,
            staff_group=group,
            starts_at=period.starts_at,
            start_precision=period.start_precision,
            ends_at=period.ends_at,
            scope=_scope(doc, sentence),
            status=_status(doc, sentence, period.starts_at),
        )
        actions.append((action, doc.has("continuation_words", sentence.start, sentence.end)))
    return _merge_continuations(actions)


def to_gold(row: dict) -> dict:
    """A core.strike_actions row in the gold's terms."""
    precision = row.get("start_precision")
    return {
        **provenance(row),
        "group": row.get("staff_group"),
        "start": time_text(row.get("starts_at"), precision),
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

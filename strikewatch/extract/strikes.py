"""Strike actions: who walks out, from when to when, what is withdrawn, and whether it happened.

A sentence yields an action when it names a strike and a day or clock time that belongs to it.
Left out: dates of a statement ("told the BBC on Monday that ... the strike"), end times ("the
strike will finish at 8am on Wednesday"), publication stamps, ballots, and past actions known
only to the month. Status: suspended when the wording says the action was called off or was
only planned in the past tense; otherwise planned if it starts after the published date, held
if on or before it, unknown without a published date. An action starting the day after another
one of the article is its continuation (a two-day strike) and extends that one instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from strikewatch.extract.dates import (
    find_dates,
    find_times,
    resolve_period,
    statement_date_spans,
)
from strikewatch.extract.numbers import clause_around, sentence_spans, starts_in

STRIKE_TERM = re.compile(
    r"\b(?:strik(?:e|es|ing)|walk(?:ed|s|ing)?[\s-]?outs?|stoppages?|industrial\s+action"
    r"|withdrawal\s+of\s+labour|all-out)\b",
    re.IGNORECASE,
)
_BALLOT = re.compile(r"\b(?:vot\w*|ballot\w*|mandate)\b", re.IGNORECASE)
_END_BEFORE = re.compile(
    r"\b(?:finish\w*|end(?:s|ed|ing)?|conclud\w*|over|until|till|stop\w*)\b(?:\s+\w+){0,3}\s*$",
    re.IGNORECASE,
)
_STAMP = re.compile(
    r"(?:published|updated|posted)(?:\s+at)?\s+\d{1,2}[:.]\d{2}[^\n]{0,40}?\d{4}"
    r"|^\d{1,2}:\d{2}\s+(?:BST|GMT)\s+\d{1,2}\s+\w+\s+\d{4}"
    r"|\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}(?:\s+(?:BST|GMT))?",
    re.IGNORECASE | re.MULTILINE,
)
_POSSESSIVE = re.compile(r"['’]s(?:\s+[\w-]+){1,3}")
_CONTINUATION = re.compile(
    r"\b(?:further|again|second\s+day|continu\w*|same\s+hours|resum\w*)\b", re.IGNORECASE
)
_SUSPENDED = re.compile(
    r"\b(?:strikes?|walkouts?|stoppages?|action)\s+(?:\w+\s+){0,3}?(?:was|were|has\s+been"
    r"|have\s+been|had\s+been|is\s+being)\s+(?:suspended|called\s+off|postponed|cancelled"
    r"|averted|paused|shelved)"
    r"|\b(?:suspend\w*|call\w*\s+off|postpon\w*|averted)\s+(?:the\s+|a\s+|its\s+|their\s+)?"
    r"(?:\w+\s+){0,2}?(?:strikes?|walkouts?|stoppages?|action)"
    r"|\b(?:was|were|had\s+been)\s+(?:originally\s+)?(?:planned|scheduled|due|set)\s+(?:for|on)\b",
    re.IGNORECASE,
)
STAFF_GROUP = re.compile(
    r"\b(?:junior|resident|consultant|specialty|SAS|hospital)\s+doctors\b|\bconsultants\b"
    r"|\bnurses\b|\bmidwives\b|\bparamedics\b|\bambulance\s+(?:workers|staff)\b"
    r"|\bphysiotherapists\b|\bradiographers\b|\bGPs\b",
    re.IGNORECASE,
)
_SCOPES = (
    (
        re.compile(
            r"\bemergency\s+care\s+only|\bprovision\s+of\s+emergency\s+care"
            r"|\bemergency\s+(?:care|cover)\s+(?:will\s+be|is|was|being|would\s+be)\s+provided"
            r"|\bprovid\w*\s+emergency\s+(?:care|cover)",
            re.IGNORECASE,
        ),
        "emergency care provided",
    ),
    (
        re.compile(
            r"\bboth\s+routine\s+and\s+emergency\s+care|\bwithdraw\w*\s+(?:of\s+)?emergency\s+"
            r"(?:care|cover)|\bno\s+emergency\s+(?:care|cover)",
            re.IGNORECASE,
        ),
        "emergency care withdrawn",
    ),
    (re.compile(r"\bfull\s+withdrawal\s+of\s+labour", re.IGNORECASE), "full withdrawal of labour"),
    (re.compile(r"\ball-out\b", re.IGNORECASE), "all-out"),
)


def _statement_dates(
    text: str, sentence: tuple[int, int], published: dt.date | None
) -> list[tuple[int, int]]:
    """Spans of dates that date a statement, or a thing other than the strike."""
    spans = statement_date_spans(text, sentence, published, linked=STRIKE_TERM)
    for mention in find_dates(text, published, *sentence):
        possessor = _POSSESSIVE.match(text, mention.char_end, sentence[1])
        if possessor and not STRIKE_TERM.search(possessor.group(0)):
            spans.append((mention.char_start, mention.char_end))
    return spans


_FIELDWORK_BEFORE = re.compile(
    r"\b(?:conducted|carried\s+out|fieldwork|surveyed|polled|interviewed)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


def _ignored_dates(
    text: str, sentence: tuple[int, int], published: dt.date | None
) -> list[tuple[int, int]]:
    """Statement dates, a poll's fieldwork dates and publication stamps within a sentence."""
    ignored = _statement_dates(text, sentence, published)
    ignored += [m.span() for m in _STAMP.finditer(text, *sentence)]
    ignored += [
        (d.char_start, d.char_end)
        for d in find_dates(text, published, *sentence)
        if _FIELDWORK_BEFORE.search(text[max(sentence[0], d.char_start - 40) : d.char_start])
    ]
    return ignored


def _first_time_is_an_end(
    text: str, sentence: tuple[int, int], published: dt.date | None, ignored: list
) -> bool:
    """Whether the first date or time of the sentence is when a strike finishes."""
    starts = [d.char_start for d in find_dates(text, published, *sentence)]
    starts += [t.char_start for t in find_times(text, *sentence)]
    starts = [s for s in starts if not starts_in(ignored, s)]
    if not starts:
        return False
    first = min(starts)
    return bool(_END_BEFORE.search(text[max(sentence[0], first - 40) : first]))


def _scope(text: str, sentence: tuple[int, int]) -> str | None:
    """What the action withdraws or keeps, as the text's wording maps onto fixed labels."""
    labels = [label for pattern, label in _SCOPES if pattern.search(text, *sentence)]
    return ", ".join(labels) if labels else None


def _article_group(text: str) -> str | None:
    """The staff group the article names most often."""
    counts = Counter(m.group(0).lower() for m in STAFF_GROUP.finditer(text))
    return counts.most_common(1)[0][0] if counts else None


def _status(
    text: str, sentence: tuple[int, int], starts_at: dt.datetime, published: dt.date | None
) -> str:
    """suspended / planned / held / unknown, from the wording and the published date."""
    if _SUSPENDED.search(text, *sentence):
        return "suspended"
    if published is None:
        return "unknown"
    return "planned" if starts_at.date() > published else "held"


def _merge_continuations(actions: list[dict]) -> list[dict]:
    """Drop actions worded as the next day of another action (its second day), extending it."""
    by_day = {a["starts_at"].date(): a for a in actions if a["status"] != "suspended"}
    kept = []
    for action in actions:
        previous = by_day.get(action["starts_at"].date() - dt.timedelta(days=1))
        if previous is not None and action["continues"] and action["status"] != "suspended":
            end = action["ends_at"]
            if end is not None and (previous["ends_at"] is None or end > previous["ends_at"]):
                previous["ends_at"] = end
            continue
        kept.append(action)
    for action in kept:
        del action["continues"]
    return kept


def extract_strikes(
    text: str, published_date: dt.date | None, skip_spans: Sequence[tuple[int, int]] = ()
) -> list[dict]:
    """Strike actions named with a day or time, one dict per mention."""
    actions: list[dict] = []
    article_group = None
    for sentence in sentence_spans(text):
        terms = list(STRIKE_TERM.finditer(text, *sentence))
        if not terms or _BALLOT.search(text, *sentence):
            continue
        ignored = _ignored_dates(text, sentence, published_date)
        if _first_time_is_an_end(text, sentence, published_date, ignored):
            continue
        period = resolve_period(text, published_date, *sentence, ignore=ignored)
        if period is None or (
            period.start_precision == "month"
            and period.starts_at.date() <= (published_date or dt.date.max)
        ):
            continue
        mentions = [
            (d.char_start, d.char_end)
            for d in find_dates(text, published_date, *sentence)
            if not starts_in(ignored, d.char_start)
        ] + [
            (t.char_start, t.char_end)
            for t in find_times(text, *sentence)
            if not starts_in(ignored, t.char_start)
        ]
        first = min(mentions)
        term = min(terms, key=lambda m: abs(m.start() - first[0]))
        start, end = clause_around(
            text, sentence, min(term.start(), first[0]), max(term.end(), first[1])
        )
        if starts_in(skip_spans, start):
            continue
        groups = list(STAFF_GROUP.finditer(text, *sentence))
        if groups:
            group = min(groups, key=lambda m: abs(m.start() - term.start())).group(0).lower()
        else:
            article_group = article_group or _article_group(text)
            group = article_group
        actions.append(
            {
                "char_start": start,
                "char_end": end,
                "staff_group": group,
                "starts_at": period.starts_at,
                "start_precision": period.start_precision,
                "ends_at": period.ends_at,
                "scope": _scope(text, sentence),
                "status": _status(text, sentence, period.starts_at, published_date),
                "continues": bool(_CONTINUATION.search(text, *sentence)),
            }
        )
    return _merge_continuations(actions)

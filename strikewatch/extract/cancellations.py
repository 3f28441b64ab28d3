"""Cancelled or postponed NHS activity: "hospitals cancelled more than 100,000 appointments"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from strikewatch.extract.dates import find_dates, statement_date_spans
from strikewatch.extract.numbers import (
    Quantity,
    clause_around,
    find_quantities,
    nearest_place,
    sentence_spans,
    starts_in,
)

CANCEL_WORD = re.compile(
    r"\b(?:cancel(?:led|ed|ling|ing|s|lations?)?|postpon\w*|reschedul\w*|rearrang\w*"
    r"|called\s+off|deferred|stood\s+down)\b",
    re.IGNORECASE,
)
ITEM_HEAD = (
    r"(?:operations?|appointments?|procedures?|inpatients?|outpatients?|day[\s-]cases?"
    r"|surgeries|surgery|clinics?|treatments?|tests?|scans?|ones|cancellations"
    r"|elective\s+activity|visits?|consultations?|admissions?|episodes?)"
)
_MODIFIER = r"(?:[A-Za-z“”\"'’-]+\s+)"
_ITEM_AFTER = re.compile(
    rf"\s*(?:of\s+(?:the\s+|all\s+)?)?(?P<item>{_MODIFIER}{{0,3}}{ITEM_HEAD}\b"
    rf"(?:[”\"]?\s+(?:and|or)\s+{_MODIFIER}{{0,2}}?[“\"]?{ITEM_HEAD}\b)?)",
    re.IGNORECASE,
)
_TOTAL_AFTER = re.compile(r"\s+(?P<item>total)\b", re.IGNORECASE)
_ITEM_ANYWHERE = re.compile(rf"\b{_MODIFIER}?{ITEM_HEAD}\b", re.IGNORECASE)
_DENOMINATOR_BEFORE = re.compile(
    r"\b(?:out\s+of|of\s+a\s+possible|(?:daily|usual|normal|typical|average)\s+(?:total|number)"
    r"\s+of|compared\s+(?:with|to)|than|from)\s+$",
    re.IGNORECASE,
)
_CUMULATIVE = re.compile(
    r"\b(?:since\s+(?:the\s+)?(?:strikes?|dispute|industrial\s+action|walkouts?)\s+"
    r"(?:began|started)|so\s+far|in\s+total|altogether|across\s+all|over\s+the\s+course"
    r"|cumulative\w*|to\s+date)\b",
    re.IGNORECASE,
)
_TRAILING_CONNECTOR = re.compile(
    r"(?:[\s,;–—-]+(?:and|or|alongside|while|with|plus|as\s+well\s+as|compared\s+with))+\s*$"
    r"|[\s,;–—-]+$",
    re.IGNORECASE,
)
_FIGURE_DIGIT = re.compile(r"\d")
_CONNECTOR = re.compile(r"\b(?:and|or|alongside|while|plus|with|as\s+well\s+as)\b|[,;–—]")
_BREAKDOWN_AFTER = re.compile(r"\s*[–—(-]\s*\d")
_HEADING_LINES = 2
_TAIL_CHARS = 40  # how far back from a clause's end trailing connectors are looked for


def _heading_context(text: str, sentence: tuple[int, int]) -> tuple[int, int]:
    """Span of the few lines above a sentence that has no verb of its own (a table row)."""
    top = sentence[0]
    for _ in range(_HEADING_LINES):
        top = text.rfind("\n", 0, max(0, top - 1)) + 1
    return top, sentence[0]


def _looks_like_table_row(text: str, sentence: tuple[int, int], quantities: list[Quantity]) -> bool:
    """A line of figures and labels: several figures, or one that opens the line."""
    return len(quantities) >= 2 or quantities[0].char_start == sentence[0]


def _item_for(text: str, quantity: Quantity, sentence: tuple[int, int]) -> tuple[str | None, int]:
    """What the figure counts and where that wording ends; (None, figure end) when not said."""
    match = _ITEM_AFTER.match(text, quantity.char_end, sentence[1]) or _TOTAL_AFTER.match(
        text, quantity.char_end, sentence[1]
    )
    if match:
        return match["item"].strip("“”\"' "), match.end()
    return None, quantity.char_end


def _evidence_span(
    text: str, sentence: tuple[int, int], quantity: Quantity, others: list[Quantity]
) -> tuple[int, int]:
    """The clause stating the figure, cut where the next figure of the clause is joined on."""
    clause_start, clause_end = clause_around(text, sentence, quantity.char_start, quantity.char_end)
    earlier = [o for o in others if clause_start <= o.char_end <= quantity.char_start]
    later = [o for o in others if quantity.char_end < o.char_start < clause_end]
    if earlier:
        clause_start = quantity.char_start
    if later and _CONNECTOR.search(text, quantity.char_end, later[0].char_start):
        clause_end = later[0].char_start
    tail_start = max(clause_start, clause_end - _TAIL_CHARS)
    tail = _TRAILING_CONNECTOR.sub("", text[tail_start:clause_end])
    return clause_start, max(tail_start + len(tail), quantity.char_end)


def _period(
    text: str,
    published_date: dt.date | None,
    spans: Sequence[tuple[int, int]],
    default_period: tuple[dt.date, dt.date] | None,
) -> tuple[dt.date | None, dt.date | None]:
    """First and last day the figure covers: a date in its clause, else in its sentence (the
    strike it names: "last month's strike, from 13 to 16 March, saw ..."), else the default."""
    for span in spans:
        said_on = statement_date_spans(text, span, published_date, linked=_FIGURE_DIGIT)
        days = [
            d
            for d in find_dates(text, published_date, *span)
            if d.precision == "day" and (d.char_start, d.char_end) not in said_on
        ]
        if days:
            return days[0].start, days[-1].end or days[-1].start
    return default_period if default_period else (None, None)


def extract_cancellations(
    text: str,
    published_date: dt.date | None,
    skip_spans: Sequence[tuple[int, int]] = (),
    default_period: tuple[dt.date, dt.date] | None = None,
) -> list[dict]:
    """Cancellation figures with item, period, place and hedge, one dict per mention.

    default_period is the strike the article covers, used when a figure's clause gives no day.
    """
    facts: list[dict] = []
    last_place: tuple[int, str] | None = None
    for sentence in sentence_spans(text):
        quantities = find_quantities(text, *sentence)
        if not quantities:
            continue
        context = sentence
        if not CANCEL_WORD.search(text, *sentence):
            heading = _heading_context(text, sentence)
            if not (
                _looks_like_table_row(text, sentence, quantities)
                and CANCEL_WORD.search(text, *heading)
            ):
                continue
            context = (heading[0], sentence[1])
        for quantity in quantities:
            if starts_in(skip_spans, quantity.char_start):
                continue
            item, item_end = _item_for(text, quantity, sentence)
            is_breakdown_total = bool(_BREAKDOWN_AFTER.match(text, quantity.char_end, sentence[1]))
            if item is None and quantity.unit == "count" and not is_breakdown_total:
                continue
            if item is None and quantity.unit == "percent":
                item_anywhere = _ITEM_ANYWHERE.search(text, *sentence)
                if item_anywhere is None:
                    continue
                item = item_anywhere.group(0)
            before = text[max(sentence[0], quantity.char_start - 30) : quantity.char_start]
            if _DENOMINATOR_BEFORE.search(before):
                continue
            start, end = _evidence_span(text, sentence, quantity, quantities)
            end = max(end, item_end)
            place = nearest_place(text, context, quantity.char_start)
            if place is None and last_place and quantity.char_start - last_place[0] < 600:
                place = last_place[1]
            if place:
                last_place = (quantity.char_start, place)
            clause = clause_around(text, sentence, quantity.char_start, quantity.char_end)
            period_start, period_end = _period(
                text, published_date, (clause, sentence), default_period
            )
            facts.append(
                {
                    "char_start": start,
                    "char_end": end,
                    "value": quantity.value,
                    "unit": quantity.unit,
                    "qualifier": quantity.qualifier,
                    "item": item,
                    "period_start": period_start,
                    "period_end": period_end,
                    "geography": place,
                    "cumulative": bool(_CUMULATIVE.search(text, *sentence)),
                }
            )
    return facts

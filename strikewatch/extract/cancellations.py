"""Cancelled or postponed activity: "hospitals cancelled more than 100,000 appointments"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.numbers import Quantity
from strikewatch.extract.periods import statement_date_spans
from strikewatch.extract.strike_mentions import reported_strike_days
from strikewatch.goldformat import as_text, provenance
from strikewatch.lexicon import lexicon

_CANCEL_NOUNS = lexicon("cancel_words").pattern(labels=("noun",))
_ITEM_HEAD = rf"(?:{lexicon('cancelled_items').pattern()}|{_CANCEL_NOUNS})"
_MODIFIER = r"(?:[A-Za-z\"'-]+\s+)"
_ITEM_AFTER = re.compile(
    rf"\s*(?:of\s+(?:the\s+|all\s+)?)?(?P<item>{_MODIFIER}{{0,3}}{_ITEM_HEAD}\b"
    rf"(?:\"?\s+(?:and|or)\s+{_MODIFIER}{{0,2}}?\"?{_ITEM_HEAD}\b)?)",
    re.IGNORECASE,
)
_TOTAL_AFTER = re.compile(r"\s+(?P<item>total)\b", re.IGNORECASE)
_ITEM_ANYWHERE = re.compile(rf"\b{_MODIFIER}?{_ITEM_HEAD}\b", re.IGNORECASE)
_DENOMINATOR_BEFORE = re.compile(
    r"\b(?:out\s+of|of\s+a\s+possible|(?:daily|usual|normal|typical|average)\s+(?:total|number)"
    r"\s+of|compared\s+(?:with|to)|than|from)\s+$",
    re.IGNORECASE,
)
_TRAILING_CONNECTOR = re.compile(
    r"(?:[\s,;-]+(?:and|or|alongside|while|with|plus|as\s+well\s+as|compared\s+with))+\s*$"
    r"|[\s,;-]+$",
    re.IGNORECASE,
)
_CONNECTOR = re.compile(r"\b(?:and|or|alongside|while|plus|with|as\s+well\s+as)\b|[,;]|\s-\s")
_BREAKDOWN_AFTER = re.compile(r"\s*[-(]\s*\d")
_HEADING_LINES = 2
_TAIL_CHARS = 40  # how far back from a clause's end trailing connectors are looked for
PLACE_REACH = 600  # how far (characters) a figure without a place takes the last one named


@dataclass(frozen=True, kw_only=True)
class Cancellation(Fact):
    """A figure of cancelled or postponed activity."""

    value: float
    unit: str
    qualifier: str
    item: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    geography: str | None
    cumulative: bool


def _heading_context(doc: Analysis, sentence: Sentence) -> tuple[int, int]:
    """Span of the few lines above a sentence that has no verb of its own (a table row)."""
    first = max(0, sentence.line - _HEADING_LINES)
    return doc.line_starts[first], sentence.start


def _looks_like_table_row(sentence: Sentence, quantities: list[Quantity]) -> bool:
    """A line of figures and labels: several figures, or one that opens the line."""
    return len(quantities) >= 2 or quantities[0].char_start == sentence.start


def _item_for(doc: Analysis, quantity: Quantity, sentence: Sentence) -> tuple[str | None, int]:
    """What the figure counts and where that wording ends; (None, figure end) when not said."""
    match = _ITEM_AFTER.match(doc.norm, quantity.char_end, sentence.end) or _TOTAL_AFTER.match(
        doc.norm, quantity.char_end, sentence.end
    )
    if match:
        start, end = match.span("item")
        trimmed = doc.text[start:end].strip("“”\"' ")
        return trimmed, match.end()
    return None, quantity.char_end


def _evidence_span(
    doc: Analysis, sentence: Sentence, quantity: Quantity, others: list[Quantity]
) -> tuple[int, int]:
    """The clause stating the figure, cut where the next figure of the clause is joined on."""
    clause_start, clause_end = doc.clause_around(sentence, quantity.char_start, quantity.char_end)
    earlier = [o for o in others if clause_start <= o.char_end <= quantity.char_start]
    later = [o for o in others if quantity.char_end < o.char_start < clause_end]
    if earlier:
        clause_start = quantity.char_start
    if later and _CONNECTOR.search(doc.norm, quantity.char_end, later[0].char_start):
        clause_end = later[0].char_start
    tail_start = max(clause_start, clause_end - _TAIL_CHARS)
    tail = _TRAILING_CONNECTOR.sub("", doc.norm[tail_start:clause_end])
    return clause_start, max(tail_start + len(tail), quantity.char_end)


def _period(
    doc: Analysis,
    spans: list[tuple[int, int]],
    sentence: Sentence,
    default_period: tuple[dt.date, dt.date] | None,
) -> tuple[dt.date | None, dt.date | None]:
    """First and last day the figure covers: a date in its clause, else in its sentence (the
    strike it names: "last month's strike, from 13 to 16 March, saw ..."), else the default."""

    def has_a_figure(start: int, end: int) -> bool:
        return any(ch.isdigit() for ch in doc.norm[start:end])

    said_on = statement_date_spans(doc, sentence, linked=has_a_figure)
    for start, end in spans:
        days = [
            d
            for d in doc.dates_in(start, end)
            if d.precision == "day" and (d.char_start, d.char_end) not in said_on
        ]
        if days:
            return days[0].start, days[-1].end or days[-1].start
    return default_period if default_period else (None, None)


def covered_strike_days(strikes: list, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of the held strike the article reports on (see
    strikes.reported_strike_days); None when there is none."""
    return reported_strike_days(strikes, published)


def extract_cancellations(doc: Analysis, found: Found) -> list[Cancellation]:
    """Cancellation figures with item, period, place and hedge, one per mention.

    A figure whose clause gives no day covers the strike the article reports on.
    """
    default_period = covered_strike_days(found.get("strike_actions", []), doc.published)
    facts: list[Cancellation] = []
    last_place: tuple[int, str] | None = None
    for sentence in doc.sentences:
        quantities = doc.quantities_in(sentence.start, sentence.end)
        if not quantities:
            continue
        context = (sentence.start, sentence.end)
        if not doc.has("cancel_words", sentence.start, sentence.end):
            heading = _heading_context(doc, sentence)
            if not (
                _looks_like_table_row(sentence, quantities) and doc.has("cancel_words", *heading)
            ):
                continue
            context = (heading[0], sentence.end)
        for quantity in quantities:
            item, item_end = _item_for(doc, quantity, sentence)
            is_breakdown_total = bool(
                _BREAKDOWN_AFTER.match(doc.norm, quantity.char_end, sentence.end)
            )
            if item is None and quantity.unit == "count" and not is_breakdown_total:
                continue
            if item is None and quantity.unit == "percent":
                anywhere = _ITEM_ANYWHERE.search(doc.norm, sentence.start, sentence.end)
                if anywhere is None:
                    continue
                item = doc.text[anywhere.start() : anywhere.end()]
            before = doc.norm[max(sentence.start, quantity.char_start - 30) : quantity.char_start]
            if _DENOMINATOR_BEFORE.search(before):
                continue
            start, end = _evidence_span(doc, sentence, quantity, quantities)
            end = max(end, item_end)
            place = doc.nearest_place(*context, quantity.char_start)
            if place is None and last_place and quantity.char_start - last_place[0] < PLACE_REACH:
                place = last_place[1]
            if place:
                last_place = (quantity.char_start, place)
            clause = doc.clause_around(sentence, quantity.char_start, quantity.char_end)
            period_start, period_end = _period(
                doc, [clause, (sentence.start, sentence.end)], sentence, default_period
            )
            facts.append(
                Cancellation(
                    char_start=start,
                    char_end=end,
                    value=quantity.value,
                    unit=quantity.unit,
                    qualifier=quantity.qualifier,
                    item=item,
                    period_start=period_start,
                    period_end=period_end,
                    geography=place,
                    cumulative=doc.has("cumulative_phrases", sentence.start, sentence.end),
                )
            )
    return facts


def to_gold(row: dict) -> dict:
    """A core.cancellations row in the gold's terms."""
    return {
        **provenance(row),
        "value": row.get("value"),
        "unit": row.get("unit"),
        "qualifier": row.get("qualifier"),
        "item": row.get("item"),
        "period_start": as_text(row.get("period_start")),
        "period_end": as_text(row.get("period_end")),
        "geography": row.get("geography"),
        "cumulative": row.get("cumulative"),
    }


FACT_TYPE = FactType(
    name="cancellation",
    table="cancellations",
    record=Cancellation,
    extract=extract_cancellations,
    gold_fields=(
        "value",
        "unit",
        "qualifier",
        "item",
        "period_start",
        "period_end",
        "geography",
        "cumulative",
    ),
    match_key=("value", "unit"),
    to_gold=to_gold,
    colour="#1f77b4",
)

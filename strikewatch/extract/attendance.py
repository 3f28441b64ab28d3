"""Who turned up: shares of staff working or out, absent counts, staff expected in work."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from strikewatch.extract.analysis import Analysis, Sentence
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.numbers import Quantity
from strikewatch.goldformat import as_text, provenance
from strikewatch.lexicon import lexicon

_STAFF = (
    rf"(?:{lexicon('attendance_staff_modifiers').pattern()}\s+)?"
    rf"{lexicon('attendance_staff').pattern()}"
)
_STAFF_AFTER_PERCENT = re.compile(rf"\s+of\s+(?:the\s+|all\s+|those\s+)?(?:[\w-]+\s+)?{_STAFF}\b")
_STAFF_AFTER_COUNT = re.compile(rf"\s+{_STAFF}\b")
_COUNT_PHRASE_REACH = 60  # how far after "15,800 doctors" the "did not turn up" may come
_EXPECTED_BEFORE = re.compile(r"\b(?:out\s+of\s+)?of\s+a\s+possible\s+$", re.IGNORECASE)
_EXPECTED_AFTER = re.compile(
    rf"\s+{_STAFF}\s+(?:who\s+)?(?:were\s+|are\s+|was\s+|had\s+been\s+)?"
    rf"(?:{lexicon('rostered_words').pattern()}|{lexicon('forecast_words').pattern(labels=('expect',))})"
    r"\s+(?:to\s+(?:be\s+)?)?(?:in|at|to)\s+work",
    re.IGNORECASE,
)
PLACE_REACH = 600  # how far (characters) a figure without a place takes the last one named


@dataclass(frozen=True, kw_only=True)
class Attendance(Fact):
    """A figure of who worked or stayed away."""

    metric: str
    value: float
    unit: str
    as_of: dt.date | None
    geography: str | None


def _is_forecast_or_vote(doc: Analysis, start: int, end: int) -> bool:
    return any(
        doc.has(name, start, end) for name in ("forecast_words", "ballot_words", "poll_words")
    )


def _metric(doc: Analysis, clause: tuple[int, int], quantity: Quantity) -> str | None:
    """Which attendance metric the figure is, from the wording around it; None if none.

    A forecast or a vote worded before the attendance phrase ("expected 75% to be on strike")
    is not a count of who turned up.
    """
    before = doc.norm[max(0, quantity.char_start - 25) : quantity.char_start]
    if quantity.unit == "count" and (
        _EXPECTED_BEFORE.search(before) or _EXPECTED_AFTER.match(doc.norm, quantity.char_end)
    ):
        return "doctors_expected"
    if quantity.unit == "percent":
        if not _STAFF_AFTER_PERCENT.match(doc.norm, quantity.char_end):
            return None
        phrase = doc.first("absent_phrases", quantity.char_end, clause[1])
        metric = "pct_not_working"
        if phrase is None:
            phrase, metric = (
                doc.first("present_phrases", quantity.char_end, clause[1]),
                "pct_working",
            )
    elif _STAFF_AFTER_COUNT.match(doc.norm, quantity.char_end):
        near = min(clause[1], quantity.char_end + _COUNT_PHRASE_REACH)
        phrase, metric = doc.first("absent_phrases", quantity.char_end, near), "staff_absent"
    else:
        return None
    if phrase is None or _is_forecast_or_vote(doc, clause[0], phrase.end):
        return None
    return metric


def _evidence_span(
    doc: Analysis, sentence: Sentence, quantity: Quantity, metric: str
) -> tuple[int, int]:
    """The clause stating the figure; for an expected total, just its phrase."""
    before_start = max(0, quantity.char_start - 25)
    if metric == "doctors_expected" and _EXPECTED_BEFORE.search(
        doc.norm[before_start : quantity.char_start]
    ):
        phrase_start = doc.norm.rfind("out of", before_start, quantity.char_start)
        if phrase_start < 0:
            phrase_start = doc.norm.rfind("of", before_start, quantity.char_start)
        return phrase_start, quantity.char_end
    return doc.clause_around(sentence, quantity.char_start, quantity.char_end)


def extract_attendance(doc: Analysis, found: Found) -> list[Attendance]:
    """Attendance and absence figures, one per mention.

    as_of is a day named in the figure's sentence, else the published date (live reporting).
    """
    del found  # attendance reads no other fact type
    facts: list[Attendance] = []
    last_place: tuple[int, str] | None = None
    for sentence in doc.sentences:
        for quantity in doc.quantities_in(sentence.start, sentence.end):
            clause = doc.clause_around(sentence, quantity.char_start, quantity.char_end)
            metric = _metric(doc, clause, quantity)
            if metric is None:
                continue
            start, end = _evidence_span(doc, sentence, quantity, metric)
            days = [d for d in doc.dates_in(sentence.start, sentence.end) if d.precision == "day"]
            place = doc.nearest_place(sentence.start, sentence.end, quantity.char_start)
            if place is None and last_place and quantity.char_start - last_place[0] < PLACE_REACH:
                place = last_place[1]
            if place:
                last_place = (quantity.char_start, place)
            facts.append(
                Attendance(
                    char_start=start,
                    char_end=end,
                    metric=metric,
                    value=quantity.value,
                    unit=quantity.unit,
                    as_of=days[0].start if days else doc.published,
                    geography=place,
                )
            )
    return facts


def to_gold(row: dict) -> dict:
    """A core.attendance row in the gold's terms."""
    return {
        **provenance(row),
        "metric": row.get("metric"),
        "value": row.get("value"),
        "unit": row.get("unit"),
        "date": as_text(row.get("as_of")),
        "geography": row.get("geography"),
    }


FACT_TYPE = FactType(
    name="attendance",
    table="attendance",
    record=Attendance,
    extract=extract_attendance,
    gold_fields=("metric", "value", "unit", "date", "geography"),
    match_key=("value", "metric"),
    to_gold=to_gold,
    colour="#2ca02c",
)

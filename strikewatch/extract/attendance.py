"""Who turned up: shares of doctors working or out, absent counts, doctors expected in work."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from strikewatch.extract.dates import find_dates
from strikewatch.extract.numbers import (
    Quantity,
    clause_around,
    find_quantities,
    nearest_place,
    sentence_spans,
    starts_in,
)

_STAFF = (
    r"(?:(?:junior|resident|trainee|hospital|striking|eligible|NHS)\s+)?"
    r"(?:doctors|medics|juniors|staff|trainees|consultants|nurses|workers|members)"
)
_STAFF_AFTER_PERCENT = re.compile(rf"\s+of\s+(?:the\s+|all\s+|those\s+)?(?:[\w-]+\s+)?{_STAFF}\b")
_STAFF_AFTER_COUNT = re.compile(rf"\s+{_STAFF}\b")
_NOT_WORKING = re.compile(
    r"\b(?:did\s+not|didn['’]t|failed\s+to)\s+(?:turn\s+up|work|attend|report|come\s+in)"
    r"|\bnot\s+(?:been\s+)?(?:on\s+(?:the\s+)?wards|at\s+work|in\s+work|working)"
    r"|\bon\s+strike\b|\b(?:took|taking|taken)\s+part\b|\bwalked\s+out\b|\bstayed\s+away\b"
    r"|\babsent\b|\boff\s+work\b|\bjoined\s+(?:the\s+)?(?:strike|walkout|picket)",
    re.IGNORECASE,
)
_WORKING = re.compile(
    r"\b(?:turned|turn|turning)\s+up\b|\breported\s+(?:for|to)\s+work|\bin\s+work\b"
    r"|\bat\s+work\b|\b(?:came|come|went)\s+in(?:to)?\s+(?:to\s+)?work|\bworked\s+as\s+normal",
    re.IGNORECASE,
)
_FORECAST_OR_VOTE = re.compile(
    r"\b(?:expect\w*|anticipat\w*|predict\w*|forecast\w*|likely|would|could|vot\w*|ballot\w*"
    r"|poll\w*|survey\w*)\b",
    re.IGNORECASE,
)
_COUNT_PHRASE_REACH = 60  # how far after "15,800 doctors" the "did not turn up" may come
_EXPECTED_BEFORE = re.compile(r"\b(?:out\s+)?of\s+a\s+possible\s+$", re.IGNORECASE)
_EXPECTED_AFTER = re.compile(
    rf"\s+{_STAFF}\s+(?:who\s+)?(?:were\s+|are\s+|was\s+|had\s+been\s+)?"
    r"(?:due|expected|rostered|scheduled)\s+(?:to\s+(?:be\s+)?)?(?:in|at|to)\s+work",
    re.IGNORECASE,
)


def _metric(text: str, clause: tuple[int, int], quantity: Quantity) -> str | None:
    """Which attendance metric the figure is, from the wording around it; None if none.

    A forecast or a vote worded before the attendance phrase ("expected 75% to be on strike")
    is not a count of who turned up.
    """
    before = text[max(0, quantity.char_start - 25) : quantity.char_start]
    if quantity.unit == "count" and (
        _EXPECTED_BEFORE.search(before) or _EXPECTED_AFTER.match(text, quantity.char_end)
    ):
        return "doctors_expected"
    if quantity.unit == "percent":
        if not _STAFF_AFTER_PERCENT.match(text, quantity.char_end):
            return None
        phrase, metric = _NOT_WORKING.search(text, quantity.char_end, clause[1]), "pct_not_working"
        if phrase is None:
            phrase, metric = _WORKING.search(text, quantity.char_end, clause[1]), "pct_working"
    elif _STAFF_AFTER_COUNT.match(text, quantity.char_end):
        near = min(clause[1], quantity.char_end + _COUNT_PHRASE_REACH)
        phrase, metric = _NOT_WORKING.search(text, quantity.char_end, near), "staff_absent"
    else:
        return None
    if phrase is None or _FORECAST_OR_VOTE.search(text, clause[0], phrase.end()):
        return None
    return metric


def _evidence_span(
    text: str, sentence: tuple[int, int], quantity: Quantity, metric: str
) -> tuple[int, int]:
    """The clause stating the figure; for an expected total, just its phrase."""
    if metric == "doctors_expected" and _EXPECTED_BEFORE.search(
        text[max(0, quantity.char_start - 25) : quantity.char_start]
    ):
        phrase_start = text.rfind("out of", max(0, quantity.char_start - 25), quantity.char_start)
        if phrase_start < 0:
            phrase_start = text.rfind("of", max(0, quantity.char_start - 25), quantity.char_start)
        return phrase_start, quantity.char_end
    return clause_around(text, sentence, quantity.char_start, quantity.char_end)


def extract_attendance(
    text: str,
    published_date: dt.date | None,
    skip_spans: Sequence[tuple[int, int]] = (),
) -> list[dict]:
    """Attendance and absence figures, one dict per mention.

    as_of is a day named in the figure's sentence, else the published date (live reporting).
    """
    facts: list[dict] = []
    last_place: tuple[int, str] | None = None
    for sentence in sentence_spans(text):
        for quantity in find_quantities(text, *sentence):
            if starts_in(skip_spans, quantity.char_start):
                continue
            clause = clause_around(text, sentence, quantity.char_start, quantity.char_end)
            metric = _metric(text, clause, quantity)
            if metric is None:
                continue
            start, end = _evidence_span(text, sentence, quantity, metric)
            days = [d for d in find_dates(text, published_date, *sentence) if d.precision == "day"]
            place = nearest_place(text, sentence, quantity.char_start)
            if place is None and last_place and quantity.char_start - last_place[0] < 600:
                place = last_place[1]
            if place:
                last_place = (quantity.char_start, place)
            facts.append(
                {
                    "char_start": start,
                    "char_end": end,
                    "metric": metric,
                    "value": quantity.value,
                    "unit": quantity.unit,
                    "as_of": days[0].start if days else published_date,
                    "geography": place,
                }
            )
    return facts

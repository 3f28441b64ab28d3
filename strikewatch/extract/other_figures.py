"""Counts that are not cancellations or attendance: picket lines, rally crowds, meetings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from strikewatch.extract.numbers import clause_around, find_quantities, sentence_spans, starts_in
from strikewatch.extract.spans import Spans

_LABEL_AFTER = re.compile(
    r"\s*(?:-strong\s+)?(?P<label>(?:[A-Za-z'’-]+\s+){0,2}?(?:people|protesters|demonstrators"
    r"|marchers|supporters|picket\s+lines|pickets?|rallies|rally|meetings|events|sites"
    r"|members|strikers|crowd|hospitals|trusts|beds|hours))\b",
    re.IGNORECASE,
)


def extract_other_figures(
    text: str,
    published_date: dt.date | None,
    skip_spans: Sequence[tuple[int, int]] = (),
    claimed: Sequence[tuple[int, int]] = (),
) -> list[dict]:
    """Counts of people, pickets and events, one dict per mention.

    claimed are spans already taken by another fact table; figures inside them are left out.
    published_date is unused: the table holds no dates. It keeps the extractors' signature.
    """
    del published_date
    facts = []
    taken = Spans(claimed)
    for sentence in sentence_spans(text):
        for quantity in find_quantities(text, *sentence):
            if quantity.unit != "count" or starts_in(skip_spans, quantity.char_start):
                continue
            if taken.contains(quantity.char_start):
                continue
            label = _LABEL_AFTER.match(text, quantity.char_end, sentence[1])
            if label is None:
                continue
            start, end = clause_around(text, sentence, quantity.char_start, label.end())
            facts.append(
                {
                    "char_start": start,
                    "char_end": end,
                    "value": quantity.value,
                    "unit": quantity.unit,
                    "label": label["label"].strip().lower(),
                }
            )
    return facts

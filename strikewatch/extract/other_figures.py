"""Counts that are not cancellations or attendance: picket lines, rally crowds, meetings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from strikewatch.extract.analysis import Analysis
from strikewatch.extract.facts import Fact, FactType, Found
from strikewatch.extract.spans import Spans
from strikewatch.lexicon import lexicon

_LABEL_AFTER = re.compile(
    rf"\s*(?:-strong\s+)?(?P<label>(?:[A-Za-z'-]+\s+){{0,2}}?{lexicon('crowd_labels').pattern()})\b"
)


FIGURE_TABLES = ("cancellations", "attendance", "poll_results")  # figures taken before this


@dataclass(kw_only=True, unsafe_hash=True, slots=True)
class OtherFigure(Fact):
    """A count of people, pickets or events."""

    value: float
    unit: str
    label: str | None


def extract_other_figures(doc: Analysis, found: Found) -> list[OtherFigure]:
    """Counts of people, pickets and events not already taken by another fact, one per mention."""
    figures = [found.get(table, []) for table in FIGURE_TABLES]
    taken = Spans([(f.char_start, f.char_end) for facts in figures for f in facts])
    facts = []
    for sentence, quantities in doc.sentences_with_quantities():
        for quantity in quantities:
            if quantity.unit != "count" or taken.contains(quantity.char_start):
                continue
            label = _LABEL_AFTER.match(doc.norm, quantity.char_end, sentence.end)
            if label is None:
                continue
            start, end = doc.clause_around(sentence, quantity.char_start, label.end())
            facts.append(
                OtherFigure(
                    char_start=start,
                    char_end=end,
                    value=quantity.value,
                    unit=quantity.unit,
                    label=label["label"].strip().lower(),
                )
            )
    return facts


FACT_TYPE = FactType(
    name="other_figure",
    table="other_figures",
    record=OtherFigure,
    extract=extract_other_figures,
    colour="#8c564b",
)

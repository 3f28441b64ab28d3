"""The registry: every fact type, in the order they are extracted.

Adding a fact type: write its module under strikewatch/extract/ (record, rule, gold converter,
`FACT_TYPE`) and its pandera model in schemas/tables.py, then list it here.
"""

from __future__ import annotations

from strikewatch.extract import attendance, cancellations, other_figures, polls, quotes, strikes
from strikewatch.extract.facts import FactType

# Order matters: a rule may read the facts of the types listed before it.
FACT_TYPES: tuple[FactType, ...] = (
    strikes.FACT_TYPE,
    cancellations.FACT_TYPE,
    attendance.FACT_TYPE,
    polls.FACT_TYPE,
    quotes.FACT_TYPE,
    other_figures.FACT_TYPE,
)


def fact_type(name_or_table: str) -> FactType:
    """A fact type by its gold name ("poll") or its table ("poll_results")."""
    for kind in FACT_TYPES:
        if name_or_table in (kind.name, kind.table):
            return kind
    raise KeyError(name_or_table)

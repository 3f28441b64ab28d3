"""Fact extraction: from one document analysis to typed fact records with offsets.

    doc = Analysis.of(text, published_date, skip_spans)
    extract_facts(doc) -> {table: [record, ...]}

Every fact type of the registry runs once over the analysis, in registry order; no fact starts
inside a skip span, and text[record.char_start:record.char_end] is its verbatim evidence.
"""

from __future__ import annotations

from strikewatch.extract.analysis import Analysis
from strikewatch.extract.facts import Fact

EXTRACTOR_VERSION = "0.3.0"


def extract_facts(doc: Analysis) -> dict[str, list[Fact]]:
    """Every fact the document states, by table, in registry order."""
    from strikewatch.extract.registry import FACT_TYPES

    found: dict[str, list[Fact]] = {}
    for kind in FACT_TYPES:
        facts = kind.extract(doc, found)
        found[kind.table] = [fact for fact in facts if not doc.skip.contains(fact.char_start)]
    return found


__all__ = ["EXTRACTOR_VERSION", "Analysis", "Fact", "extract_facts"]

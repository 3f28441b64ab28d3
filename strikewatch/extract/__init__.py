"""Fact extraction: pure functions from raw text to fact mentions with offsets.

Contract (the pipeline relies on it):
    extract_facts(text, published_date, skip_spans) -> {table: [fact, ...]}
where table is one of FACT_TYPES and each fact is a dict holding `char_start`,
`char_end` (into `text`, so text[char_start:char_end] is the verbatim evidence)
and the table's own columns as `schemas/tables.py` defines them (not the
columns the pipeline adds: fact_id, article_id, source_file, post_id,
evidence, extractor_version, poll_id).
"""

from __future__ import annotations

EXTRACTOR_VERSION = "0.1.0"

FACT_TYPES = (
    "poll_results",
    "cancellations",
    "attendance",
    "strike_actions",
    "quotes",
    "other_figures",
)

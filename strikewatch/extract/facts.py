"""What a fact is: a typed record with the span of its evidence, and the type that declares it.

A fact type (`FactType`) holds its extraction rule (a function of the document analysis and the
facts of the types extracted before it), its typed record, the warehouse table the records load
into (whose pandera model in schemas/tables.py checks them and documents every column), how the
evaluation pairs and compares it with hand-labelled gold, and the colour the report draws it in.
Each fact module declares its `FACT_TYPE`; `registry.FACT_TYPES` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from strikewatch.extract.analysis import Analysis


# A fact record is never changed once built, but is not declared frozen: a frozen dataclass
# sets each field through object.__setattr__, and building records was ~1% of extraction.
# Every fact type's record is declared as this one is.
@dataclass(kw_only=True, unsafe_hash=True, slots=True)
class Fact:
    """What every fact record has: the span of its verbatim evidence in the raw text."""

    char_start: int
    char_end: int


Found = Mapping[str, list[Fact]]  # facts found so far in a document, by table


@dataclass(frozen=True)
class FactType:
    """One kind of fact: rule, record, table, evaluation and report colour."""

    name: str  # the gold's type name ("poll")
    table: str  # the warehouse table's name in its schema ("poll_results")
    record: type[Fact]
    extract: Callable[[Analysis, Found], list[Fact]]
    gold_fields: tuple[str, ...] = ()  # fields compared with the gold; () when not scored
    match_key: tuple[str, ...] = ()  # gold fields a prediction is paired on
    to_gold: Callable[[dict], dict] | None = None  # warehouse row -> gold-format fields
    colour: str = "#777777"

    @property
    def columns(self) -> list[str]:
        """The record's columns, evidence offsets included."""
        return [f.name for f in fields(self.record)]

    @property
    def scored(self) -> bool:
        """Whether the evaluation scores this type against gold."""
        return self.to_gold is not None

"""Validation against the pandera models: rows that fail a check are quarantined, never dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from schemas.tables import TABLES


@dataclass
class Validated:
    """A table's rows split into a loadable frame and quarantined rows."""

    frame: pd.DataFrame
    rejected: list[dict] = field(default_factory=list)


def _frame(table: str, table_rows: list[dict]) -> pd.DataFrame:
    columns = list(TABLES[table].to_schema().columns)
    return pd.DataFrame(table_rows, columns=columns)


def validate_table(table: str, table_rows: list[dict], run_id: str) -> Validated:
    """Validate lazily; rows that fail any check are quarantined with the failed checks."""
    model = TABLES[table]
    frame = _frame(table, table_rows)
    if frame.empty:  # nothing to check, and pandera's fixed cost is ~50 ms a table
        return Validated(frame)
    try:
        return Validated(model.validate(frame, lazy=True))
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    reasons: dict[object, list[str]] = {}
    table_wide: list[str] = []
    for case in failures.itertuples():
        reason = f"{case.column}: {case.check}" if case.column else str(case.check)
        if case.index is None or pd.isna(case.index):
            table_wide.append(reason)
        else:
            reasons.setdefault(case.index, []).append(f"{reason} (got {case.failure_case!r})")
    if table_wide:
        for index in frame.index:
            reasons.setdefault(index, []).extend(table_wide)
    rejected = [
        {
            "run_id": run_id,
            "table_name": table,
            "source_file": frame.at[index, "source_file"] if "source_file" in frame else None,
            "row_json": frame.loc[index].to_json(date_format="iso", default_handler=str),
            "failed_check": "; ".join(dict.fromkeys(reasons[index])),
        }
        for index in reasons
    ]
    good = frame.drop(index=list(reasons))
    return Validated(model.validate(good, lazy=True) if not good.empty else good, rejected)

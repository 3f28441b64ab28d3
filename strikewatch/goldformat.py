"""How the hand-labelled gold writes values (../shared/gold/README.md), for the evaluation.

Dates are YYYY-MM-DD, month-only dates YYYY-MM, times YYYY-MM-DDTHH:MM in local time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def as_text(value: Any) -> str | None:
    """Date, datetime or string as ISO text; None stays None."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def date_at_precision(value: Any, precision: str | None) -> str | None:
    """A date as YYYY-MM-DD, YYYY-MM or YYYY according to its precision."""
    text = as_text(value)
    if text is None:
        return None
    return {"month": text[:7], "year": text[:4]}.get(precision or "day", text[:10])


def time_text(value: Any, precision: str | None) -> str | None:
    """A local timestamp as the gold writes it: minute, day or month precision."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if precision == "month":
        return moment.strftime("%Y-%m")
    if precision == "day" or (precision is None and moment.time() == dt.time(0)):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M")


def provenance(row: dict) -> dict:
    """The provenance fields of a warehouse fact row, as the gold names them."""
    return {
        "file": row["source_file"],
        "evidence": row.get("evidence"),
        "char_start": row.get("char_start"),
        "char_end": row.get("char_end"),
    }

"""One pandera model per warehouse table: the checks and the data dictionary in one place.

Every field carries `description=`; the loader writes these into DuckDB as COMMENT ON.
`metadata={"sql_type": ...}` names the DuckDB type where the pandas dtype does not say it.
"""

from __future__ import annotations

import sys

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


def _pandera_without_dask() -> None:
    """Let pandera's probe for Dask fail at once.

    When it first reads a model's fields, pandera imports `pandera.typing.dask`, which tries
    `import dask.dataframe` because Dask is installed (for the Dask task runner): 0.5-1.4 s of
    imports, which fail here anyway (Dask's dataframe needs pyarrow). strikewatch validates
    pandas frames only. The block lasts for that one import; Dask itself stays usable.
    """
    if "pandera.typing.dask" in sys.modules or "dask.dataframe" in sys.modules:
        return
    blocked = [name for name in ("dask", "dask.dataframe") if name not in sys.modules]
    sys.modules.update(dict.fromkeys(blocked))
    try:
        import pandera.typing.dask  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


_pandera_without_dask()

DATE = {"sql_type": "DATE"}
TIMESTAMP = {"sql_type": "TIMESTAMP"}
TEXT_LIST = {"sql_type": "VARCHAR[]"}
JSON = {"sql_type": "JSON"}

POST_FORMATS = ["live_blog", "article"]
DATE_SOURCES = ["text", "manifest"]
PRECISIONS = ["day", "month", "year"]
POLL_MEASURES = [
    "support",
    "oppose",
    "strongly_support",
    "strongly_oppose",
    "blame_government",
    "blame_doctors",
    "blame_both",
    "dont_know",
]
QUALIFIERS = ["exact", "more_than", "over", "nearly", "almost", "about", "at_least", "up_to"]
UNITS = ["count", "percent"]
ATTENDANCE_METRICS = ["pct_working", "pct_not_working", "staff_absent", "doctors_expected"]
STRIKE_STATUSES = ["planned", "held", "suspended", "unknown"]


class _Model(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = True


class Documents(_Model):
    document_id: Series[str] = pa.Field(description="sha256 of the file's bytes", unique=True)
    source_file: Series[str] = pa.Field(
        description="Path of the file relative to the source folder", unique=True
    )
    bytes: Series[int] = pa.Field(ge=1, description="Size of the file in bytes")
    encoding: Series[str] = pa.Field(description="Encoding the bytes were decoded with")
    text: Series[str] = pa.Field(
        description="Decoded text, kept whole: every char_start/char_end indexes into it"
    )

    class Config:
        description = "extracted.documents: one row per source file that decoded as text"


class Articles(_Model):
    article_id: Series[str] = pa.Field(description="Stable id of the article", unique=True)
    document_id: Series[str] = pa.Field(
        description="extracted.documents row the article comes from"
    )
    source_file: Series[str] = pa.Field(
        description="Path of the file relative to the source folder"
    )
    publisher: Series[str] = pa.Field(
        nullable=True, description="Outlet, from the text or the manifest's publisher column"
    )
    url: Series[str] = pa.Field(nullable=True, description="Address given by the manifest")
    headline: Series[str] = pa.Field(nullable=True, description="Headline; null when none is found")
    authors: Series[object] = pa.Field(metadata=TEXT_LIST, description="Bylined authors, in order")
    published_date: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE, description="Date of publication (UK local)"
    )
    published_at: Series[pd.DatetimeTZDtype] = pa.Field(
        nullable=True,
        dtype_kwargs={"unit": "us", "tz": "UTC"},
        description="Time of publication, when the text gives one",
    )
    published_date_source: Series[str] = pa.Field(
        nullable=True, isin=DATE_SOURCES, description="Where published_date came from"
    )
    date_note: Series[str] = pa.Field(
        nullable=True,
        description="Flag for analysts: no date found, or text and manifest disagree (and how)",
    )
    format: Series[str] = pa.Field(isin=POST_FORMATS, description="live_blog or article")

    class Config:
        description = "extracted.articles: one row per article, text first, manifest filling gaps"


class Posts(_Model):
    post_id: Series[str] = pa.Field(description="Stable id of the post", unique=True)
    article_id: Series[str] = pa.Field(description="Article the post belongs to")
    source_file: Series[str] = pa.Field(
        description="Path of the file relative to the source folder"
    )
    seq: Series[int] = pa.Field(ge=1, description="Order of the post in the file, from the top")
    posted_at: Series[pd.DatetimeTZDtype] = pa.Field(
        nullable=True,
        dtype_kwargs={"unit": "us", "tz": "UTC"},
        description="When the post was published; null where the page gives no time",
    )
    title: Series[str] = pa.Field(nullable=True, description="Post headline, if any")
    body: Series[str] = pa.Field(description="Post text with page boilerplate removed")
    char_start: Series[int] = pa.Field(ge=0, description="Start offset of the post in the raw text")
    char_end: Series[int] = pa.Field(ge=0, description="End offset (exclusive) in the raw text")

    class Config:
        description = "extracted.posts: live-blog entries, one row per entry"


class _Fact(_Model):
    fact_id: Series[str] = pa.Field(description="Stable id of this mention", unique=True)
    article_id: Series[str] = pa.Field(description="Article the mention is in")
    source_file: Series[str] = pa.Field(
        description="Path of the file relative to the source folder"
    )
    post_id: Series[str] = pa.Field(nullable=True, description="Live-blog post holding the mention")
    evidence: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Verbatim text that states the fact"
    )
    char_start: Series[int] = pa.Field(ge=0, description="Start offset of evidence in the raw text")
    char_end: Series[int] = pa.Field(ge=0, description="End offset (exclusive) of evidence")
    extractor_version: Series[str] = pa.Field(description="Version of the rules that found it")

    @pa.dataframe_check(description="char_end > char_start")
    def offsets_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return df["char_end"] > df["char_start"]


class PollResults(_Fact):
    pollster: Series[str] = pa.Field(nullable=True, description="Who ran the poll or ballot")
    commissioned_by: Series[str] = pa.Field(nullable=True, description="Who paid for the poll")
    sample_size: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=1, description="Number of respondents"
    )
    population: Series[str] = pa.Field(nullable=True, description="Who was asked")
    poll_date: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE, description="When the poll ran (first day of its precision)"
    )
    poll_date_precision: Series[str] = pa.Field(
        nullable=True,
        isin=[*PRECISIONS, "published"],
        description="day, month or year of the fieldwork; published when the text gives no "
        "fieldwork date and poll_date is the month of the article reporting the poll",
    )
    question: Series[str] = pa.Field(
        nullable=True, description="Question or scenario, as the text words it"
    )
    subgroup: Series[str] = pa.Field(
        nullable=True,
        description='Part of the sample the share counts ("2019 Labour voters"); null for all',
    )
    earlier_wave: Series[bool] = pa.Field(
        description="True for a figure the text gives from an earlier round of the poll or ballot"
    )
    measure: Series[str] = pa.Field(
        str_matches=rf"^({'|'.join(POLL_MEASURES)}|other:[a-z_]+)$",
        description="Answer option: support, oppose, ... or other:<what>",
    )
    pct: Series[float] = pa.Field(ge=0, le=100, description="Share giving that answer, percent")

    class Config:
        description = "extracted.poll_results: one row per poll answer mention"


class Cancellations(_Fact):
    value: Series[float] = pa.Field(gt=0, description="The figure as stated")
    unit: Series[str] = pa.Field(isin=UNITS, description="count or percent")
    qualifier: Series[str] = pa.Field(isin=QUALIFIERS, description="How the figure is hedged")
    item: Series[str] = pa.Field(
        nullable=True, description="What was cancelled, in the text's words"
    )
    period_start: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE, description="First day the figure covers"
    )
    period_end: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE, description="Last day the figure covers"
    )
    geography: Series[str] = pa.Field(nullable=True, description="Place the figure covers")
    cumulative: Series[bool] = pa.Field(description="True when the figure sums several actions")

    class Config:
        description = "extracted.cancellations: one row per cancellation figure mention"


class Attendance(_Fact):
    metric: Series[str] = pa.Field(isin=ATTENDANCE_METRICS, description="What is measured")
    value: Series[float] = pa.Field(ge=0, description="The figure as stated")
    unit: Series[str] = pa.Field(isin=UNITS, description="count or percent")
    as_of: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=DATE, description="Day the figure describes"
    )
    geography: Series[str] = pa.Field(nullable=True, description="Place the figure covers")

    class Config:
        description = "extracted.attendance: one row per attendance or absence figure mention"


class StrikeActions(_Fact):
    staff_group: Series[str] = pa.Field(nullable=True, description="Who strikes")
    starts_at: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=TIMESTAMP, description="Start, UK local time (midnight if no time)"
    )
    start_precision: Series[str] = pa.Field(
        nullable=True, isin=["minute", "day", "month"], description="How precise starts_at is"
    )
    ends_at: Series[pd.Timestamp] = pa.Field(
        nullable=True, metadata=TIMESTAMP, description="End, UK local time"
    )
    scope: Series[str] = pa.Field(nullable=True, description="What is withdrawn or still provided")
    status: Series[str] = pa.Field(isin=STRIKE_STATUSES, description="planned/held/suspended")

    class Config:
        description = "extracted.strike_actions: one row per strike action mention"


class Quotes(_Fact):
    speaker: Series[str] = pa.Field(nullable=True, description="Who is quoted")
    speaker_role: Series[str] = pa.Field(nullable=True, description="Speaker's role or title")
    organisation: Series[str] = pa.Field(nullable=True, description="Speaker's organisation")
    quote: Series[str] = pa.Field(str_length={"min_value": 1}, description="The quoted words")

    class Config:
        description = "extracted.quotes: one row per quotation"


class OtherFigures(_Fact):
    value: Series[float] = pa.Field(description="The figure as stated")
    unit: Series[str] = pa.Field(description="count, percent, ...")
    label: Series[str] = pa.Field(nullable=True, description="What the figure counts")

    class Config:
        description = (
            "extracted.other_figures: counts that are not cancellations (rallies, pickets)"
        )


class RejectedRows(_Model):
    run_id: Series[str] = pa.Field(description="Run that rejected the row")
    table_name: Series[str] = pa.Field(description="Table the row was meant for")
    source_file: Series[str] = pa.Field(nullable=True, description="File the row came from")
    row_json: Series[str] = pa.Field(metadata=JSON, description="The rejected row, as JSON")
    failed_check: Series[str] = pa.Field(description="Check or reason that failed")

    class Config:
        description = "quarantine.rejected_rows: rows that failed validation, with the reason"


class RejectedFiles(_Model):
    run_id: Series[str] = pa.Field(description="Run that rejected the file")
    source_file: Series[str] = pa.Field(description="Path relative to the source folder")
    reason: Series[str] = pa.Field(description="Why the file was not loaded, for a person")

    class Config:
        description = "quarantine.rejected_files: files that could not be read or parsed"


TABLES: dict[str, type[_Model]] = {
    "extracted.documents": Documents,
    "extracted.articles": Articles,
    "extracted.posts": Posts,
    "extracted.poll_results": PollResults,
    "extracted.cancellations": Cancellations,
    "extracted.attendance": Attendance,
    "extracted.strike_actions": StrikeActions,
    "extracted.quotes": Quotes,
    "extracted.other_figures": OtherFigures,
    "quarantine.rejected_rows": RejectedRows,
    "quarantine.rejected_files": RejectedFiles,
}

FACT_TABLES = [name for name, model in TABLES.items() if issubclass(model, _Fact)]


def _sql_type(dtype: str, metadata: dict | None) -> str:
    if metadata and "sql_type" in metadata:
        return metadata["sql_type"]
    if dtype.startswith("datetime64") and "UTC" in dtype:
        return "TIMESTAMPTZ"
    if dtype.startswith("datetime64"):
        return "TIMESTAMP"
    lowered = dtype.lower()
    if lowered.startswith(("int", "uint")):
        return "BIGINT"
    if lowered.startswith("float"):
        return "DOUBLE"
    if lowered.startswith("bool"):
        return "BOOLEAN"
    return "VARCHAR"


def model_columns(model: type[pa.DataFrameModel]) -> list[tuple[str, str, str]]:
    """(column, DuckDB type, description) for every field of a model, in order."""
    schema = model.to_schema()
    return [
        (name, _sql_type(str(column.dtype), column.metadata), column.description or "")
        for name, column in schema.columns.items()
    ]


def model_description(model: type[pa.DataFrameModel]) -> str:
    """The table description of a model (its Config.description, minus the table name)."""
    text = model.to_schema().description or ""
    text = text.split(": ", 1)[-1]
    return text[:1].upper() + text[1:]

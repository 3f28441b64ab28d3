"""Score extracted facts against hand-labelled gold (format: ../shared/gold/README.md).

Facts of each type are paired one-to-one within a file on the type's match key (poll: pct and
measure; strike: start date; ...). Paired facts count towards precision and recall and have their
other fields compared for attribute accuracy. The gold lists a figure restated in the same article
once, so an unpaired prediction with the same key as a paired one is a restatement: it is listed
but counted neither as a hit nor as an extra.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from strikewatch.extract.facts import FactType
from strikewatch.extract.registry import FACT_TYPES
from strikewatch.goldformat import as_text

UK_TIME = ZoneInfo("Europe/London")

DOCUMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("publisher", "published_date", "headline", "authors"),
    "post": ("title", "posted_at"),
}
SCORED = [kind for kind in FACT_TYPES if kind.scored]
FIELDS: dict[str, tuple[str, ...]] = {
    **DOCUMENT_FIELDS,
    **{kind.name: kind.gold_fields for kind in SCORED},
}
TYPES = tuple(FIELDS)

DATE_FIELDS = {"published_date", "start", "end", "date", "period_start", "period_end"}
INSTANT_FIELDS = {"posted_at"}
NUMBER_FIELDS = {"value", "pct", "sample_size"}

_DATE_TEXT = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2})?)?)?")
_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@dataclass
class TypeScore:
    """Counts and scores of one fact type."""

    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        """Share of counted predictions that match a gold fact."""
        if self.predicted == 0:
            return 1.0 if self.gold == 0 else 0.0
        return self.matched / self.predicted

    @property
    def recall(self) -> float:
        """Share of gold facts that a prediction matches."""
        if self.gold == 0:
            return 1.0 if self.predicted == 0 else 0.0
        return self.matched / self.gold

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total


@dataclass
class FieldMismatch:
    """One field of a matched pair where prediction and gold disagree."""

    type: str
    file: str
    field: str
    gold: Any
    predicted: Any
    evidence: str | None


@dataclass
class EvalReport:
    """Everything `evaluate` measures."""

    scores: dict[str, TypeScore]
    attribute_counts: dict[str, dict[str, tuple[int, int]]]  # type -> field -> (correct, total)
    attribute_errors: list[FieldMismatch]
    grounded: int | None  # None when no texts were given
    grounding_checked: int
    ungrounded: list[dict]
    misses: list[dict]
    extras: list[dict]
    restated: list[dict] = field(default_factory=list)
    # (file, type) -> [gold, counted, matched]
    file_counts: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    quarantined: list[dict] = field(default_factory=list)  # files extraction rejected
    speakers: Any = None  # the review of quote speakers (speaker_report.SpeakerCounts), if made

    def file_scores(self, types: tuple[str, ...]) -> dict[str, TypeScore]:
        """One score per file over the given types, for files with gold or predictions of them."""
        totals: dict[str, list[int]] = {}
        for (file, fact_type), counts in self.file_counts.items():
            if fact_type in types:
                total = totals.setdefault(file, [0, 0, 0])
                for i, count in enumerate(counts):
                    total[i] += count
        return {file: TypeScore(*counts) for file, counts in totals.items() if any(counts[:2])}

    @property
    def grounding_share(self) -> float | None:
        """Share of checked predictions whose evidence sits exactly at its offsets."""
        if self.grounded is None or self.grounding_checked == 0:
            return None
        return self.grounded / self.grounding_checked


def load_gold(path: str | Path) -> list[dict]:
    """Read a gold JSON-lines file, skipping blank lines."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# ---------------------------------------------------------------- normalisation


def _instant(value: Any) -> dt.datetime | None:
    """A time as an aware UTC datetime; naive times are UK local."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UK_TIME)
    return moment.astimezone(dt.UTC)


def _minute(value: Any) -> str | None:
    """A time truncated to the minute, in UTC, as text."""
    moment = _instant(value)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M")


def _number(value: Any) -> float | None:
    """A number as float; None (or unparseable) stays None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def _norm_text(value: Any) -> Any:
    """Case-, whitespace- and quote-style-insensitive form of a string or list of strings."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [_norm_text(item) for item in value]
    text = str(value).translate(_TYPOGRAPHIC)
    return " ".join(text.lower().split())


def _date_agrees(gold: Any, predicted: Any) -> bool:
    """Dates agree when the prediction equals the gold up to the gold's precision."""
    gold_text, predicted_text = as_text(gold), as_text(predicted)
    if gold_text is None or predicted_text is None:
        return gold_text is None and predicted_text is None
    gold_match = _DATE_TEXT.match(gold_text)
    gold_text = gold_match.group(0) if gold_match else gold_text
    return predicted_text.replace(" ", "T").startswith(gold_text)


def field_agrees(name: str, gold: Any, predicted: Any) -> bool:
    """Whether a predicted field value counts as the gold's."""
    if name in DATE_FIELDS:
        return _date_agrees(gold, predicted)
    if name in INSTANT_FIELDS:
        return _minute(gold) == _minute(predicted)
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if isinstance(gold, bool) or isinstance(predicted, bool):
        return bool(gold) == bool(predicted)
    if name in NUMBER_FIELDS or isinstance(gold, int | float):
        return _number(gold) == _number(predicted)
    if name == "geography":
        return _place_agrees(_norm_text(gold), _norm_text(predicted))
    return _norm_text(gold) == _norm_text(predicted)


def _place_agrees(gold: str, predicted: str) -> bool:
    """A place agrees with the gold's when it is the gold's place without the gold's bracketed
    note ("Spain (mainland only)" -> "Spain"), or that place's leading words ("Southline
    network" -> "Southline")."""
    place = gold.split(" (", 1)[0].strip()
    return predicted in (gold, place) or place.startswith(predicted + " ")


def _start_day(value: Any) -> str | None:
    """The calendar day (UK local) a start time falls on."""
    text = as_text(value)
    if text is None:
        return None
    if "T" in text or " " in text:
        moment = _instant(text)
        return None if moment is None else moment.astimezone(UK_TIME).date().isoformat()
    return text[:10]


_KEY_FORMS: dict[str, Callable[[Any], Any]] = {
    "posted_at": _minute,
    "start": _start_day,
    "value": _number,
    "pct": _number,
}


def match_key(fact_type: str, fact: dict) -> tuple:
    """The fields a fact of this type is paired on, normalised (one post per minute, one strike
    per start day, one figure per value and unit or measure)."""
    if fact_type == "article":
        return ()
    if fact_type == "post":
        names: tuple[str, ...] = ("posted_at",)
    else:
        names = fact_type_named(fact_type).match_key
    return tuple(_KEY_FORMS.get(name, _norm_text)(fact.get(name)) for name in names)


def fact_type_named(name: str) -> FactType:
    """The registry's fact type of a gold type name."""
    return next(kind for kind in SCORED if kind.name == name)


# ---------------------------------------------------------------- matching


def _evidence_affinity(gold: dict, predicted: dict) -> int:
    """How well two facts' evidence agrees: 2 same, 1 one inside the other, 0 otherwise."""
    gold_evidence = _norm_text(gold.get("evidence")) or ""
    predicted_evidence = _norm_text(predicted.get("evidence")) or ""
    if not gold_evidence or not predicted_evidence:
        return 0
    if gold_evidence == predicted_evidence:
        return 2
    return int(gold_evidence in predicted_evidence or predicted_evidence in gold_evidence)


def _pair(golds: list[dict], predictions: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of same-key facts, closest evidence first."""
    candidates = [
        (-_evidence_affinity(gold, predicted), g, p)
        for g, gold in enumerate(golds)
        for p, predicted in enumerate(predictions)
    ]
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, g, p in sorted(candidates):
        if g in used_gold or p in used_predicted:
            continue
        used_gold.add(g)
        used_predicted.add(p)
        pairs.append((golds[g], predictions[p]))
    return pairs


def _group(facts: Iterable[dict], fact_type: str) -> dict[tuple, list[dict]]:
    """Facts of one type grouped by (file, match key)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for fact in facts:
        if fact.get("type") == fact_type:
            groups[(fact.get("file"), *match_key(fact_type, fact))].append(fact)
    return groups


def _grounding(predicted: list[dict], texts: dict[str, str]) -> tuple[int, int, list[dict]]:
    """Count predictions whose evidence is exactly the text at their offsets."""
    grounded, checked, failures = 0, 0, []
    for fact in predicted:
        start, end, evidence = fact.get("char_start"), fact.get("char_end"), fact.get("evidence")
        if start is None or end is None or evidence is None:
            continue
        checked += 1
        text = texts.get(fact.get("file"))
        if text is not None and text[int(start) : int(end)] == evidence:
            grounded += 1
        else:
            failures.append(fact)
    return grounded, checked, failures


def evaluate(
    gold: list[dict], predicted: list[dict], texts: dict[str, str] | None = None
) -> EvalReport:
    """Precision, recall, F1, attribute accuracy and grounding of predictions against gold.

    Only files the gold covers are scored.
    """
    gold_files = {fact.get("file") for fact in gold}
    predicted = [fact for fact in predicted if fact.get("file") in gold_files]
    scores: dict[str, TypeScore] = {}
    attribute_counts: dict[str, dict[str, tuple[int, int]]] = {}
    attribute_errors: list[FieldMismatch] = []
    misses: list[dict] = []
    extras: list[dict] = []
    restated: list[dict] = []
    file_counts: dict[tuple[str, str], list[int]] = {}

    for fact_type in TYPES:
        gold_groups = _group(gold, fact_type)
        predicted_groups = _group(predicted, fact_type)
        counts = {name: [0, 0] for name in FIELDS[fact_type]}
        n_gold = n_counted = n_matched = 0
        for key in gold_groups.keys() | predicted_groups.keys():
            golds, predictions = gold_groups.get(key, []), predicted_groups.get(key, [])
            pairs = _pair(golds, predictions)
            paired_ids = {id(p) for _, p in pairs} | {id(g) for g, _ in pairs}
            misses += [g for g in golds if id(g) not in paired_ids]
            unpaired = [p for p in predictions if id(p) not in paired_ids]
            (restated if pairs else extras).extend(unpaired)
            n_gold += len(golds)
            n_counted += len(pairs) if pairs else len(unpaired)
            n_matched += len(pairs)
            in_file = file_counts.setdefault((key[0], fact_type), [0, 0, 0])
            in_file[0] += len(golds)
            in_file[1] += len(pairs) if pairs else len(unpaired)
            in_file[2] += len(pairs)
            for gold_fact, predicted_fact in pairs:
                for name in FIELDS[fact_type]:
                    agrees = field_agrees(name, gold_fact.get(name), predicted_fact.get(name))
                    counts[name][0] += agrees
                    counts[name][1] += 1
                    if not agrees:
                        attribute_errors.append(
                            FieldMismatch(
                                fact_type,
                                gold_fact.get("file", ""),
                                name,
                                gold_fact.get(name),
                                predicted_fact.get(name),
                                gold_fact.get("evidence"),
                            )
                        )
        if n_gold or n_counted:
            scores[fact_type] = TypeScore(n_gold, n_counted, n_matched)
            attribute_counts[fact_type] = {name: (c, t) for name, (c, t) in counts.items()}

    grounded, checked, ungrounded = (None, 0, [])
    if texts is not None:
        grounded, checked, ungrounded = _grounding(predicted, texts)
    return EvalReport(
        scores,
        attribute_counts,
        attribute_errors,
        grounded,
        checked,
        ungrounded,
        misses,
        extras,
        restated,
        file_counts,
    )


# ---------------------------------------------------------------- warehouse


def _article(row: dict) -> dict:
    return {
        "type": "article",
        "file": row["source_file"],
        "publisher": row.get("publisher"),
        "published_date": as_text(row.get("published_date")),
        "headline": row.get("headline"),
        "authors": list(row.get("authors") or []),
        "evidence": None,
        "char_start": None,
        "char_end": None,
    }


def _post(row: dict) -> dict:
    return {
        "type": "post",
        "file": row["source_file"],
        "title": row.get("title"),
        "posted_at": as_text(row.get("posted_at")),
        "evidence": None,
        "char_start": row.get("char_start"),
        "char_end": row.get("char_end"),
    }


def _converter(kind: FactType) -> Callable[[dict], dict]:
    def convert(row: dict) -> dict:
        assert kind.to_gold is not None
        return {"type": kind.name, **kind.to_gold(row)}

    return convert


ROW_CONVERTERS: dict[str, Callable[[dict], dict]] = {
    "extracted.articles": _article,
    "extracted.posts": _post,
    **{f"extracted.{kind.table}": _converter(kind) for kind in SCORED},
}


@dataclass
class Extracted:
    """A folder's facts in gold format, the texts, and the files a run would quarantine."""

    predictions: list[dict]
    texts: dict[str, str]
    quarantined: list[dict]
    quotes: list[dict] = field(default_factory=list)  # extracted.quotes rows (quotes have no gold)


def predictions_from_source(source: Path, manifest_path: Path | None = None) -> Extracted:
    """Facts of a folder in gold format, extracted and validated as a run would, and the texts.

    Rows that validation would quarantine are left out: the score is that of what a warehouse
    publishes.
    """
    from strikewatch.extract_batch import process_batch
    from strikewatch.ingest import discover_files
    from strikewatch.manifest import load_manifest
    from strikewatch.validate import validate_table

    discovery = discover_files(source, manifest_path)
    files = [candidate.source_file for candidate in discovery.candidates]
    manifest = load_manifest(manifest_path, set(files))
    batch = process_batch(source, files, manifest, "eval")
    predictions: list[dict] = []
    texts = {row["source_file"]: row["text"] for row in batch.rows["extracted.documents"]}
    for table, convert in ROW_CONVERTERS.items():
        frame = validate_table(table, batch.rows[table], "eval").frame
        rows = [_plain(row) for row in frame.to_dict("records")]
        if table == "extracted.posts":  # the gold names a post by its time
            rows = [row for row in rows if row["posted_at"] is not None]
        predictions += [convert(row) for row in rows]
    quotes = validate_table("extracted.quotes", batch.rows["extracted.quotes"], "eval").frame
    return Extracted(
        predictions,
        texts,
        batch.rows["quarantine.rejected_files"],
        [_plain(row) for row in quotes.to_dict("records")],
    )


def _plain(row: dict) -> dict:
    """A validated row with pandas' missing values and timestamps as None and datetimes."""
    import pandas as pd

    plain = {}
    for name, value in row.items():
        if isinstance(value, list | tuple):
            plain[name] = value
        elif value is None or (not isinstance(value, str) and pd.isna(value)):
            plain[name] = None
        elif isinstance(value, pd.Timestamp):
            plain[name] = value.to_pydatetime()
        else:
            plain[name] = value
    return plain


def predictions_from_warehouse(warehouse_path: str | Path) -> tuple[list[dict], dict[str, str]]:
    """Facts of the warehouse in gold format, and each source file's text; absent tables skipped."""
    import duckdb

    predictions: list[dict] = []
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        present = {
            f"{schema}.{table}"
            for schema, table in connection.execute(
                "SELECT table_schema, table_name FROM information_schema.tables"
            ).fetchall()
        }

        def rows(table: str) -> list[dict]:
            # The gold format identifies a post by its time, so only timed posts are scored.
            where = " WHERE posted_at IS NOT NULL" if table == "extracted.posts" else ""
            cursor = connection.execute(f"SELECT * FROM {table}{where}")
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

        for table, convert in ROW_CONVERTERS.items():
            if table in present:
                predictions += [convert(row) for row in rows(table)]
        texts = {}
        if "extracted.documents" in present:
            texts = {row["source_file"]: row["text"] for row in rows("extracted.documents")}
    return predictions, texts


# ---------------------------------------------------------------- report


def _short(fact: dict, width: int = 90) -> str:
    """One line describing a fact: file, type, key fields and evidence."""
    fields = ", ".join(
        f"{name}={fact.get(name)!r}"
        for name in FIELDS.get(fact.get("type", ""), ())
        if fact.get(name) is not None
    )
    evidence = fact.get("evidence") or ""
    if len(evidence) > width:
        evidence = evidence[: width - 3] + "..."
    return f"{fact.get('file')} [{fact.get('type')}] {fields} | {evidence!r}"


def format_report(report: EvalReport) -> str:
    """The report as plain text: score table, attribute accuracy, grounding, misses, extras."""
    lines = [
        f"{'type':<14}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}",
    ]
    for fact_type, score in report.scores.items():
        lines.append(
            f"{fact_type:<14}{score.gold:>6}{score.predicted:>6}{score.matched:>7}"
            f"{score.precision:>7.2f}{score.recall:>7.2f}{score.f1:>7.2f}"
        )
    lines += ["", "Attribute accuracy (over matched pairs)"]
    for fact_type, counts in report.attribute_counts.items():
        cells = [f"{name} {c}/{t}" for name, (c, t) in counts.items() if t]
        if cells:
            lines.append(f"  {fact_type}: " + ", ".join(cells))
    for error in report.attribute_errors:
        lines.append(
            f"    {error.file} [{error.type}] {error.field}: gold {error.gold!r}"
            f" predicted {error.predicted!r}"
        )
    lines.append("")
    if report.grounded is None:
        lines.append("Grounding: not checked (no texts)")
    else:
        share = report.grounding_share
        shown = "n/a" if share is None else f"{share:.1%}"
        lines.append(
            f"Grounding: {report.grounded}/{report.grounding_checked} evidence exact ({shown})"
        )
        lines += [f"  ungrounded: {_short(fact)}" for fact in report.ungrounded]
    for title, facts in (
        ("Misses", report.misses),
        ("Extras", report.extras),
        ("Restated (same key as a matched fact; not counted)", report.restated),
    ):
        lines += ["", f"{title}: {len(facts)}"]
        lines += [f"  {_short(fact)}" for fact in facts]
    return "\n".join(lines)


def main(
    gold_path: str | Path,
    warehouse: str | Path | None = None,
    source: Path | None = None,
    manifest: Path | None = None,
) -> int:
    """Print the evaluation of a warehouse, or of a folder extracted now, against a gold file."""
    if source is not None:
        default = source / "sources.csv"
        extracted = predictions_from_source(
            source, manifest or (default if default.is_file() else None)
        )
        predicted, texts = extracted.predictions, extracted.texts
    else:
        assert warehouse is not None
        predicted, texts = predictions_from_warehouse(warehouse)
    print(format_report(evaluate(load_gold(gold_path), predicted, texts)))
    return 0

"""`make eval`: extraction scored on the seeds and both development sets, in one table.

Each set is a folder of articles, its manifest and its hand-labelled gold. The articles are
read, extracted and validated as a run would (`evaluate.predictions_from_source`), so the score
is the score of the rows a warehouse publishes. The table gives, per set and fact type, gold,
predicted and matched counts with precision, recall and F1; the micro figures over the four
content types (poll, cancellation, attendance, strike) with the per-file average beside them;
and the accuracy of the attributes analysts rely on. Misses, extras and attribute errors of
each set go to build/eval/<set>.txt. Quotes have no gold: each set's line "quotes N, without
speaker M, ..." and the list of every quote's speaker at the end of build/eval/<set>.txt come
from the review in speaker_report.py.

The development sets live outside the repository (../shared/dev, or STRIKEWATCH_SHARED); a set
whose files are absent is left out.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from strikewatch import speaker_report
from strikewatch.evaluate import EvalReport, TypeScore, evaluate, format_report, load_gold
from strikewatch.settings import PROJECT_ROOT

CONTENT_TYPES = ("poll", "cancellation", "attendance", "strike")
KEY_ATTRIBUTES = {  # attribute analysts rely on -> the (type, gold field)s it is measured on
    "period": (("cancellation", "period_start"), ("cancellation", "period_end")),
    "geography": (("cancellation", "geography"), ("attendance", "geography")),
    "poll date": (("poll", "date"),),
    "sample size": (("poll", "sample_size"),),
    "strike end": (("strike", "end"),),
    "status": (("strike", "status"),),
}
REPORT_DIR = PROJECT_ROOT / "build" / "eval"


@dataclass(frozen=True)
class EvalSet:
    """A folder of articles with its manifest and gold."""

    name: str
    source: Path
    manifest: Path | None
    gold: Path

    @property
    def present(self) -> bool:
        return self.source.is_dir() and self.gold.is_file()


def shared_dir() -> Path:
    """Where the shared gold and development sets are: ../shared beside the project."""
    return Path(os.environ.get("STRIKEWATCH_SHARED", PROJECT_ROOT.parent / "shared"))


def default_sets() -> list[EvalSet]:
    """The seeds and the two development sets."""
    dev = shared_dir() / "dev"
    return [
        EvalSet(
            "seeds",
            PROJECT_ROOT / "seeds",
            PROJECT_ROOT / "seeds" / "sources.csv",
            PROJECT_ROOT / "tests" / "fixtures" / "gold_seeds.jsonl",
        ),
        *[
            EvalSet(name, dev / name / "raw", dev / name / "sources.csv", dev / name / "gold.jsonl")
            for name in ("health", "other")
        ],
    ]


def score_set(eval_set: EvalSet) -> EvalReport:
    """The evaluation of one set, extracted afresh."""
    from strikewatch.evaluate import predictions_from_source

    extracted = predictions_from_source(eval_set.source, eval_set.manifest)
    report = evaluate(load_gold(eval_set.gold), extracted.predictions, extracted.texts)
    report.quarantined = extracted.quarantined
    report.speakers = speaker_report.review(extracted.quotes, extracted.texts)
    return report


def micro(report: EvalReport, types: tuple[str, ...] = CONTENT_TYPES) -> TypeScore:
    """One score over several fact types."""
    scores = [report.scores[t] for t in types if t in report.scores]
    gold, predicted, matched = (
        (
            sum(column)
            for column in zip(*[(s.gold, s.predicted, s.matched) for s in scores], strict=True)
        )
        if scores
        else (0, 0, 0)
    )
    return TypeScore(gold, predicted, matched)


def per_file_f1(report: EvalReport) -> float:
    """F1 over the content types computed per file, averaged over the files that have any."""
    f1s = [score.f1 for score in report.file_scores(CONTENT_TYPES).values()]
    return sum(f1s) / len(f1s) if f1s else 0.0


def attribute_accuracy(report: EvalReport, attribute: str) -> tuple[int, int]:
    """(right, compared) for one of KEY_ATTRIBUTES over the matched facts."""
    right = total = 0
    for fact_type, field in KEY_ATTRIBUTES[attribute]:
        correct, compared = report.attribute_counts.get(fact_type, {}).get(field, (0, 0))
        right, total = right + correct, total + compared
    return right, total


def table(reports: dict[str, EvalReport]) -> str:
    """The scoreboard as plain text."""
    lines = [f"{'set':<8}{'type':<14}{'gold':>6}{'pred':>6}{'match':>7}{'P':>7}{'R':>7}{'F1':>7}"]
    for name, report in reports.items():
        for fact_type, score in report.scores.items():
            lines.append(_row(name, fact_type, score))
        lines.append(
            _row(name, "micro(4)", micro(report)) + f"   per-file F1 {per_file_f1(report):.2f}"
        )
        cells = []
        for attribute in KEY_ATTRIBUTES:
            right, total = attribute_accuracy(report, attribute)
            if total:
                cells.append(f"{attribute} {right}/{total} ({right / total:.2f})")
        lines.append(f"{'':<8}attributes: " + "; ".join(cells))
        if report.speakers is not None:
            lines.append(f"{'':<8}{report.speakers.line()}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _row(name: str, label: str, score: TypeScore) -> str:
    return (
        f"{name:<8}{label:<14}{score.gold:>6}{score.predicted:>6}{score.matched:>7}"
        f"{score.precision:>7.2f}{score.recall:>7.2f}{score.f1:>7.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", help="only these sets (seeds, health, other)")
    parser.add_argument("--out", type=Path, default=REPORT_DIR, help="folder for the details")
    args = parser.parse_args(argv)
    reports = {}
    for eval_set in default_sets():
        if args.sets and eval_set.name not in args.sets:
            continue
        if not eval_set.present:
            print(f"({eval_set.name}: not found at {eval_set.source}; left out)", file=sys.stderr)
            continue
        reports[eval_set.name] = report = score_set(eval_set)
        args.out.mkdir(parents=True, exist_ok=True)
        details = format_report(report)
        if report.speakers is not None:
            details += "\n\n" + speaker_report.format_review(report.speakers)
        (args.out / f"{eval_set.name}.txt").write_text(details, encoding="utf-8")
    print(table(reports))
    print(f"\nMisses, extras and attribute errors: {args.out}/<set>.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())

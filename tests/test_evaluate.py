"""Tests of strikewatch.evaluate: matching, scores, attribute accuracy, grounding, warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from strikewatch.evaluate import (
    evaluate,
    field_agrees,
    format_report,
    load_gold,
    main,
    predictions_from_warehouse,
)

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold_seeds.jsonl"
SEEDS = ROOT / "seeds"

TEXT = (
    "A survey for the Daily Bugle found 61% back the walkout and 30% oppose it. "
    "Surgeons cancelled 4,100 operations."
)


def poll(pct: float, measure: str, evidence: str, **fields) -> dict:
    """A poll fact in gold format, in file a.txt."""
    fact = {"type": "poll", "file": "a.txt", "pct": pct, "measure": measure, "evidence": evidence}
    return fact | fields


def grounded(fact: dict, text: str = TEXT) -> dict:
    """The fact with offsets of its evidence in the text."""
    start = text.index(fact["evidence"])
    return fact | {"char_start": start, "char_end": start + len(fact["evidence"])}


def test_identical_predictions_score_one():
    gold = [poll(61, "support", "61% back the walkout"), poll(30, "oppose", "30% oppose it")]
    report = evaluate(gold, [grounded(fact) for fact in gold], {"a.txt": TEXT})
    score = report.scores["poll"]
    assert (score.gold, score.predicted, score.matched) == (2, 2, 2)
    assert score.precision == score.recall == score.f1 == 1.0
    assert report.grounding_share == 1.0
    assert not report.misses and not report.extras


def test_poll_matches_on_pct_and_measure_only():
    gold = [poll(61, "support", "61% back the walkout", pollster="YouGov")]
    predicted = [
        grounded(poll(61, "support", "61% back the walkout", pollster="Savanta")),
        grounded(poll(30, "support", "30% oppose it")),
    ]
    report = evaluate(gold, predicted, {"a.txt": TEXT})
    score = report.scores["poll"]
    assert (score.matched, score.predicted) == (1, 2)
    assert score.precision == 0.5 and score.recall == 1.0
    assert score.f1 == pytest.approx(2 / 3)
    assert report.attribute_counts["poll"]["pollster"] == (0, 1)
    assert report.attribute_counts["poll"]["pct"] == (1, 1)
    assert [fact["pct"] for fact in report.extras] == [30]
    [mismatch] = report.attribute_errors
    assert (mismatch.field, mismatch.gold, mismatch.predicted) == ("pollster", "YouGov", "Savanta")


def test_matching_is_one_to_one_and_within_a_file():
    gold = [
        poll(40, "support", "40% in spring"),
        poll(40, "support", "40% in autumn"),
    ]
    predicted = [poll(40, "support", "40% in spring"), poll(40, "support", "x") | {"file": "b.txt"}]
    gold.append(poll(1, "oppose", "anchor") | {"file": "b.txt"})
    report = evaluate(gold, predicted)
    score = report.scores["poll"]
    assert (score.gold, score.predicted, score.matched) == (3, 2, 1)
    assert sorted(fact["evidence"] for fact in report.misses) == ["40% in autumn", "anchor"]
    assert [fact["file"] for fact in report.extras] == ["b.txt"]


def test_pairs_prefer_the_prediction_with_matching_evidence():
    gold = [poll(40, "support", "40% in spring", date="2016-03")]
    predicted = [
        poll(40, "support", "40% in autumn", date="2016-10"),
        poll(40, "support", "40% in spring", date="2016-03"),
    ]
    report = evaluate(gold, predicted)
    assert report.attribute_counts["poll"]["date"] == (1, 1)
    assert [fact["evidence"] for fact in report.restated] == ["40% in autumn"]


def test_restatement_of_a_matched_figure_is_not_an_extra():
    gold = [poll(57, "support", "57% support the doctors")]
    predicted = [poll(57, "support", "57% support the doctors"), poll(57, "support", "57% back")]
    report = evaluate(gold, predicted)
    score = report.scores["poll"]
    assert (score.predicted, score.matched, score.precision) == (1, 1, 1.0)
    assert len(report.restated) == 1 and not report.extras


def test_files_outside_the_gold_are_not_scored():
    gold = [poll(61, "support", "61% back the walkout")]
    predicted = [
        poll(61, "support", "61% back the walkout"),
        poll(9, "oppose", "9%") | {"file": "z"},
    ]
    assert evaluate(gold, predicted).scores["poll"].precision == 1.0


def test_type_keys():
    gold = [
        {"type": "strike", "file": "a.txt", "start": "2023-03-13T07:00", "evidence": "s"},
        {"type": "cancellation", "file": "a.txt", "value": 4100, "unit": "count", "evidence": "c"},
        {"type": "attendance", "file": "a.txt", "value": 39, "metric": "pct_working"},
        {"type": "post", "file": "a.txt", "posted_at": "2023-03-13T09:05+00:00"},
        {
            "type": "article",
            "file": "a.txt",
            "authors": ["Ann Lee"],
            "published_date": "2023-03-13",
        },
    ]
    predicted = [
        {"type": "strike", "file": "a.txt", "start": "2023-03-13", "evidence": "s"},
        {"type": "cancellation", "file": "a.txt", "value": 4100.0, "unit": "percent"},
        {"type": "attendance", "file": "a.txt", "value": "39", "metric": "pct_working"},
        {"type": "post", "file": "a.txt", "posted_at": "2023-03-13T09:05:40"},
        {
            "type": "article",
            "file": "a.txt",
            "authors": ["ann  lee"],
            "published_date": "2023-03-13",
        },
    ]
    report = evaluate(gold, predicted)
    matched = {fact_type: score.matched for fact_type, score in report.scores.items()}
    assert matched == {"article": 1, "post": 1, "strike": 1, "attendance": 1, "cancellation": 0}
    assert report.attribute_counts["strike"]["start"] == (0, 1)
    assert report.attribute_counts["article"]["authors"] == (1, 1)


def test_post_minutes_compare_across_time_zones():
    summer_gold = {"type": "post", "file": "a", "posted_at": "2016-04-26T16:55+01:00"}
    utc_prediction = {"type": "post", "file": "a", "posted_at": "2016-04-26T15:55:00+00:00"}
    wrong_hour = {"type": "post", "file": "a", "posted_at": "2016-04-26T16:55:00+00:00"}
    assert evaluate([summer_gold], [utc_prediction]).scores["post"].matched == 1
    assert evaluate([summer_gold], [wrong_hour]).scores["post"].matched == 0


@pytest.mark.parametrize(
    ("name", "gold", "predicted", "agrees"),
    [
        ("date", "2016-04", "2016-04-01", True),
        ("date", "2016-04", "2016-03-01", False),
        ("date", "2016-04-26", "2016-04", False),
        ("start", "2016-01-26T08:00", "2016-01-26 08:00:00", True),
        ("end", None, None, True),
        ("end", None, "2016-01-27", False),
        ("pollster", "Ipsos MORI", " ipsos   mori ", True),
        ("item", "“non-urgent” cases", '"non-urgent" cases', True),
        ("sample_size", 861, 861.0, True),
        ("sample_size", None, 861, False),
        ("value", 15800, "15,800", True),
        ("cumulative", False, False, True),
        ("cumulative", False, True, False),
    ],
)
def test_field_agreement(name, gold, predicted, agrees):
    assert field_agrees(name, gold, predicted) is agrees


def test_grounding_flags_offsets_that_do_not_hold():
    fact = grounded(poll(61, "support", "61% back the walkout"))
    shifted = fact | {"char_start": fact["char_start"] + 1, "char_end": fact["char_end"] + 1}
    report = evaluate([fact], [fact, shifted], {"a.txt": TEXT})
    assert (report.grounded, report.grounding_checked) == (1, 2)
    assert report.ungrounded == [shifted]
    assert evaluate([fact], [fact]).grounded is None


def test_gold_evidence_is_verbatim_in_the_seeds():
    gold = load_gold(GOLD)
    texts = {path.name: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    predicted = [grounded(fact, texts[fact["file"]]) for fact in gold]
    report = evaluate(gold, predicted, texts)
    assert report.grounded == report.grounding_checked == len(gold)
    assert all(score.f1 == 1.0 for score in report.scores.values())
    assert set(report.scores) == {"article", "post", "strike", "attendance", "cancellation", "poll"}


def test_report_text_lists_scores_misses_and_extras():
    gold = [poll(61, "support", "61% back the walkout"), poll(30, "oppose", "30% oppose it")]
    predicted = [grounded(poll(61, "support", "61% back the walkout")), poll(5, "dont_know", "5%")]
    text = format_report(evaluate(gold, predicted, {"a.txt": TEXT}))
    header, poll_row = text.splitlines()[:2]
    assert header.split() == ["type", "gold", "pred", "match", "P", "R", "F1"]
    assert poll_row.split() == ["poll", "2", "2", "1", "0.50", "0.50", "0.50"]
    assert "Misses: 1" in text and "30% oppose it" in text
    assert "Extras: 1" in text and "dont_know" in text
    assert "Grounding: 1/1" in text


WAREHOUSE_SQL = """
CREATE SCHEMA extracted;
CREATE TABLE extracted.documents (document_id VARCHAR, source_file VARCHAR, bytes BIGINT,
    encoding VARCHAR, text VARCHAR);
CREATE TABLE extracted.articles (article_id VARCHAR, document_id VARCHAR, source_file VARCHAR,
    publisher VARCHAR, url VARCHAR, headline VARCHAR, authors VARCHAR[], published_date DATE,
    published_at TIMESTAMPTZ, published_date_source VARCHAR, date_note VARCHAR, format VARCHAR);
CREATE TABLE extracted.posts (post_id VARCHAR, article_id VARCHAR, source_file VARCHAR, seq INTEGER,
    posted_at TIMESTAMPTZ, title VARCHAR, body VARCHAR, char_start INTEGER, char_end INTEGER);
CREATE TABLE extracted.poll_results (fact_id VARCHAR, article_id VARCHAR, source_file VARCHAR,
    post_id VARCHAR, evidence VARCHAR, char_start INTEGER, char_end INTEGER,
    extractor_version VARCHAR, poll_id VARCHAR, pollster VARCHAR, commissioned_by VARCHAR,
    sample_size BIGINT, population VARCHAR, poll_date DATE, poll_date_precision VARCHAR,
    question VARCHAR, measure VARCHAR, pct DOUBLE);
CREATE TABLE extracted.cancellations (fact_id VARCHAR, article_id VARCHAR, source_file VARCHAR,
    post_id VARCHAR, evidence VARCHAR, char_start INTEGER, char_end INTEGER,
    extractor_version VARCHAR, value DOUBLE, unit VARCHAR, qualifier VARCHAR, item VARCHAR,
    period_start DATE, period_end DATE, geography VARCHAR, cumulative BOOLEAN);
CREATE TABLE extracted.strike_actions (fact_id VARCHAR, article_id VARCHAR, source_file VARCHAR,
    post_id VARCHAR, evidence VARCHAR, char_start INTEGER, char_end INTEGER,
    extractor_version VARCHAR, staff_group VARCHAR, starts_at TIMESTAMP, start_precision VARCHAR,
    ends_at TIMESTAMP, scope VARCHAR, status VARCHAR);
"""


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A small warehouse with one article and one fact of several types (no attendance table)."""
    path = tmp_path / "mini.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(WAREHOUSE_SQL)
        connection.execute(
            "INSERT INTO extracted.documents VALUES ('d1', 'a.txt', 10, 'utf-8', ?)", [TEXT]
        )
        connection.execute(
            "INSERT INTO extracted.articles VALUES ('a1', 'd1', 'a.txt', 'Daily Bugle', NULL,"
            " 'Head', ['Ann Lee'], DATE '2023-03-13', NULL, 'text', NULL, 'article')"
        )
        connection.execute(
            "INSERT INTO extracted.posts VALUES ('p1', 'a1', 'a.txt', 1,"
            " TIMESTAMPTZ '2023-03-13 09:05:00+00', 'Update', 'body', 0, 10)"
        )
        start = TEXT.index("61% back the walkout")
        connection.execute(
            "INSERT INTO extracted.poll_results VALUES ('f1', 'a1', 'a.txt', NULL,"
            " '61% back the walkout', ?, ?, '0.1', 'poll1', 'YouGov', 'Daily Bugle', NULL, NULL,"
            " DATE '2023-03-01', 'month', NULL, 'support', 61.0)",
            [start, start + 20],
        )
        start = TEXT.index("4,100 operations")
        connection.execute(
            "INSERT INTO extracted.cancellations VALUES ('f2', 'a1', 'a.txt', NULL,"
            " '4,100 operations', ?, ?, '0.1', 4100, 'count', 'exact', 'operations',"
            " DATE '2023-03-13', DATE '2023-03-13', NULL, false)",
            [start, start + 16],
        )
        connection.execute(
            "INSERT INTO extracted.strike_actions VALUES ('f3', 'a1', 'a.txt', NULL, 'Surgeons',"
            " 0, 8, '0.1', 'junior doctors', TIMESTAMP '2023-03-13 07:00', 'minute',"
            " TIMESTAMP '2023-03-16 07:00', NULL, 'planned')"
        )
    return path


def test_predictions_from_warehouse(warehouse: Path):
    predicted, texts = predictions_from_warehouse(warehouse)
    by_type = {fact["type"]: fact for fact in predicted}
    assert texts == {"a.txt": TEXT}
    assert by_type["article"]["authors"] == ["Ann Lee"]
    assert by_type["article"]["published_date"] == "2023-03-13"
    assert by_type["poll"]["date"] == "2023-03"
    assert by_type["poll"]["pct"] == 61.0 and by_type["poll"]["commissioned_by"] == "Daily Bugle"
    assert by_type["cancellation"]["period_start"] == "2023-03-13"
    assert by_type["cancellation"]["cumulative"] is False
    assert by_type["strike"]["start"] == "2023-03-13T07:00"
    assert by_type["strike"]["end"] == "2023-03-16T07:00"
    assert by_type["strike"]["group"] == "junior doctors"
    assert dt.datetime.fromisoformat(by_type["post"]["posted_at"]) == dt.datetime(
        2023, 3, 13, 9, 5, tzinfo=dt.UTC
    )
    assert "attendance" not in by_type


def test_main_prints_the_report_for_a_warehouse(warehouse: Path, tmp_path: Path, capsys):
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(
        '{"file": "a.txt", "type": "poll", "pollster": "YouGov", "date": "2023-03",'
        ' "measure": "support", "pct": 61, "evidence": "61% back the walkout"}\n\n'
        '{"file": "a.txt", "type": "post", "title": "Update", "posted_at": "2023-03-13T09:05"}\n',
        encoding="utf-8",
    )
    assert main(gold_path, warehouse) == 0
    out = capsys.readouterr().out
    table = out.split("\n\n")[0].splitlines()[1:]
    rows = {line.split()[0]: line.split()[1:] for line in table}
    assert set(rows) == {"article", "post", "strike", "cancellation", "poll"}
    assert rows["poll"] == ["1", "1", "1", "1.00", "1.00", "1.00"]
    assert rows["post"] == ["1", "1", "1", "1.00", "1.00", "1.00"]
    assert rows["strike"] == ["0", "1", "0", "0.00", "0.00", "0.00"]
    assert "Grounding: 2/3" in out

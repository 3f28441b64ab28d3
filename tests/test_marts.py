"""The marts answer analysts' questions: from the seeds and from a small hand-made warehouse."""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pandas as pd
import pytest
import yaml

from strikewatch.dbt_build import run_dbt_build
from strikewatch.settings import SQL_DIR
from strikewatch.warehouse import create_tables, insert_frame, write_comments

MARTS = [
    "marts.cancellations_by_date",
    "marts.support_by_poll",
    "marts.strike_timeline",
    "marts.attendance_by_day",
    "marts.coverage_by_source",
    "marts.figure_conflicts",
]


@pytest.fixture(scope="module")
def seeds(seeds_warehouse) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(seeds_warehouse), read_only=True)
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


# --- seeds ------------------------------------------------------------------------------------


def test_every_mart_answers_from_the_seeds(seeds):
    for mart in MARTS:
        assert seeds.execute(f"select count(*) from {mart}").fetchone()[0] > 0, mart


def test_april_2016_ipsos_mori_poll_appears_once_from_two_outlets(seeds):
    found = rows(
        seeds,
        "select * from marts.support_by_poll where pollster ilike '%ipsos%mori%' "
        "and poll_date between date '2016-04-01' and date '2016-04-30'",
    )
    assert len(found) == 1, found
    poll = found[0]
    assert poll["outlets"] == 2
    assert poll["support"] == 57
    assert poll["commissioned_by"] is not None and "BBC" in poll["commissioned_by"]
    assert poll["does_not_add_up"] is False


def test_answers_that_do_not_add_up_are_flagged_in_the_seeds(seeds):
    flagged = rows(seeds, "select * from marts.support_by_poll where does_not_add_up")
    assert any(
        p["support"] == 66
        and p["oppose"] == 36
        and p["support_plus_oppose"] == 102
        and p["add_up_problems"] == ["support + oppose"]
        for p in flagged
    ), flagged


def test_seeds_conflict_2800_against_nearly_3000_operations(seeds):
    found = rows(
        seeds,
        "select * from marts.figure_conflicts "
        "where figure_type = 'cancellations' and value_a = 2800 and value_b = 3000",
    )
    assert len(found) == 1, found
    conflict = found[0]
    assert "2,800" in conflict["evidence_a"] and "3,000" in conflict["evidence_b"]
    assert conflict["qualifier_b"] == "nearly"
    assert conflict["best_value"] == 2800  # the exact figure beats the hedged one


def test_conflict_evidence_points_into_the_raw_text(seeds):
    for side in ("a", "b"):
        mismatched = seeds.execute(
            f"""
            select count(*) from marts.figure_conflicts c
            join extracted.articles a on a.source_file = c.source_file_{side}
            join extracted.documents d on d.document_id = a.document_id
            where substr(d.text, c.char_start_{side} + 1, c.char_end_{side} - c.char_start_{side})
                <> c.evidence_{side}
            """
        ).fetchone()[0]
        assert mismatched == 0


def test_cancellation_best_estimates_are_reported_values(seeds):
    for row in rows(seeds, "select * from marts.cancellations_by_date"):
        values = {
            value
            for (value,) in seeds.execute(
                "select value from extracted.cancellations where list_contains(?, fact_id)",
                [row["fact_ids"]],
            ).fetchall()
        }
        assert row["best_value"] in values
        assert row["min_value"] == min(values) and row["max_value"] == max(values)
        assert row["mentions"] == len(row["fact_ids"])


def test_every_cancellation_mention_is_counted_once(seeds):
    mentions = seeds.execute("select count(*) from extracted.cancellations").fetchone()[0]
    in_mart = seeds.execute("select sum(mentions) from marts.cancellations_by_date").fetchone()[0]
    assert in_mart == mentions


def test_strike_timeline_lists_each_action_once(seeds):
    timeline = rows(seeds, "select * from marts.strike_timeline")
    assert len({r["strike_id"] for r in timeline}) == len(timeline)
    april = [
        r
        for r in timeline
        if r["staff_group"] == "junior doctors" and str(r["first_day"]) == "2016-04-26"
    ]
    assert len(april) == 1
    assert april[0]["status"] == "held"
    assert april[0]["outlets"] >= 2
    assert april[0]["cancellation_figures"] == len(april[0]["cancellations_reported"]) >= 1
    assert 100_000 in {figure["best_value"] for figure in april[0]["cancellations_reported"]}


def test_attendance_by_day_keeps_the_range_of_reports(seeds):
    found = rows(
        seeds,
        "select * from marts.attendance_by_day where metric = 'pct_working' "
        "and as_of = date '2016-01-12' and geography = 'England'",
    )
    assert len(found) == 1
    assert (found[0]["min_value"], found[0]["max_value"]) == (38, 39)


def test_coverage_counts_every_article_and_fact(seeds):
    articles, facts = seeds.execute(
        "select sum(articles), sum(facts) from marts.coverage_by_source"
    ).fetchone()
    assert articles == seeds.execute("select count(*) from extracted.articles").fetchone()[0]
    total = sum(
        seeds.execute(f"select count(*) from extracted.{t}").fetchone()[0]
        for t in (
            "poll_results",
            "cancellations",
            "attendance",
            "strike_actions",
            "quotes",
            "other_figures",
        )
    )
    assert facts == total


def test_every_relation_and_column_of_every_layer_has_a_comment(seeds):
    schemas = ["extracted", "staging", "intermediate", "marts", "quarantine", "meta"]
    missing = seeds.execute(
        """
        select table_schema || '.' || table_name || '.' || column_name
        from information_schema.columns
        where table_schema in ? and (column_comment is null or trim(column_comment) = '')
        """,
        [schemas],
    ).fetchall()
    assert missing == []
    undocumented = seeds.execute(
        """
        select schema_name || '.' || view_name from duckdb_views()
        where schema_name in $s and (comment is null or comment = '')
        union all
        select schema_name || '.' || table_name from duckdb_tables()
        where schema_name in $s and (comment is null or comment = '')
        """,
        {"s": schemas},
    ).fetchall()
    assert undocumented == []
    relations = seeds.execute(
        "select count(*) from duckdb_views() where schema_name in ('staging', 'marts')"
    ).fetchone()[0]
    assert relations == 15


def test_model_yaml_documents_exactly_the_columns_each_model_has(seeds):
    for path in sorted((SQL_DIR / "models").glob("*/_*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            schema = path.parent.name
            columns = [
                c
                for (c,) in seeds.execute(
                    "select column_name from duckdb_columns() "
                    "where schema_name = ? and table_name = ? order by column_index",
                    [schema, model["name"]],
                ).fetchall()
            ]
            assert [c["name"] for c in model["columns"]] == columns, model["name"]
            assert model["description"].strip(), model["name"]


def test_marts_read_no_other_mart():
    for path in (SQL_DIR / "models" / "marts").glob("*.sql"):
        sql = path.read_text(encoding="utf-8")
        for other in (SQL_DIR / "models" / "marts").glob("*.sql"):
            assert f"ref('{other.stem}')" not in sql, (path.name, other.stem)


# --- a small hand-made warehouse ----------------------------------------------------------------

ARTICLES = [
    # article_id, publisher, published_date, published_at (UTC)
    ("art-north", "Northern Echo Test", "2023-03-14", "2023-03-14 09:00:00+00"),
    ("art-wire", "Wire Service Test", "2023-03-14", "2023-03-14 18:00:00+00"),
    ("art-trade", "Trade Weekly Test", "2023-03-20", None),
]
TEXTS: dict[str, str] = defaultdict(str)  # each article's text: its facts' evidence, one a line


def _fact(article: str, fact_id: str, evidence: str, **columns) -> dict:
    start = len(TEXTS[article])
    TEXTS[article] += evidence + "\n"
    return {
        "fact_id": fact_id,
        "article_id": article,
        "source_file": f"{article}.txt",
        "post_id": None,
        "evidence": evidence,
        "char_start": start,
        "char_end": start + len(evidence),
        "extractor_version": "test",
        **columns,
    }


def _cancellation(article, fact_id, evidence, value, qualifier, item, start, end, place):
    return _fact(
        article,
        fact_id,
        evidence,
        value=value,
        unit="count",
        qualifier=qualifier,
        item=item,
        period_start=start,
        period_end=end,
        geography=place,
        cumulative=False,
    )


def _poll(article, fact_id, evidence, measure, pct):
    return _fact(
        article,
        fact_id,
        evidence,
        pollster="Survation",
        commissioned_by=None,
        sample_size=1000,
        population="adults in England",
        poll_date="2023-03-01",
        poll_date_precision="month",
        question=None,
        measure=measure,
        pct=pct,
    )


@pytest.fixture(scope="module")
def handmade(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    folder = tmp_path_factory.mktemp("handmade")
    path = folder / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    create_tables(con)
    write_comments(con)
    insert_frame(
        con,
        "extracted.articles",
        pd.DataFrame(
            [
                {
                    "article_id": a,
                    "document_id": a,
                    "source_file": f"{a}.txt",
                    "publisher": p,
                    "published_date": d,
                    "published_at": t,
                    "format": "article",
                }
                for a, p, d, t in ARTICLES
            ]
        ),
    )
    cancellations = [
        _cancellation(
            "art-north", "c1", "1,200 operations were called off", 1200, "exact",
            "operations", "2023-03-13", "2023-03-13", "England",
        ),
        _cancellation(
            "art-wire", "c2", "more than 1,500 operations were postponed", 1500, "more_than",
            "operations", "2023-03-13", "2023-03-13", "England",
        ),
        _cancellation(
            "art-wire", "c3", "40 operations in Leeds", 40, "exact",
            "operations", "2023-03-13", "2023-03-13", "Leeds",
        ),
        _cancellation(
            "art-north", "c4", "some 9,000 appointments", 9000, "about",
            "outpatient appointments", "2023-03-13", "2023-03-13", "England",
        ),
        _cancellation(
            "art-wire", "c5", "9,000 outpatient appointments", 9000, "exact",
            "outpatient appointments", "2023-03-13", "2023-03-13", "England",
        ),
        _cancellation(
            "art-trade", "c6", "175,000 appointments over the three days", 175000, "exact",
            "appointments", "2023-03-13", "2023-03-15", "England",
        ),
        # the same day and item, a hundredfold apart: one of them is implausible
        _cancellation(
            "art-north", "c7", "300 day cases were cancelled", 300, "exact",
            "day cases", "2023-04-03", "2023-04-03", "England",
        ),
        _cancellation(
            "art-wire", "c8", "30,000 day cases were cancelled", 30000, "exact",
            "day cases", "2023-04-03", "2023-04-03", "England",
        ),
    ]  # fmt: skip
    insert_frame(con, "extracted.cancellations", pd.DataFrame(cancellations))
    attendance = [
        _fact("art-north", "a1", "a third of doctors at work", metric="pct_working", value=33,
              unit="percent", as_of="2023-03-13", geography="England"),
        _fact("art-wire", "a2", "36% of doctors were at work", metric="pct_working", value=36,
              unit="percent", as_of="2023-03-13", geography="England"),
    ]  # fmt: skip
    insert_frame(con, "extracted.attendance", pd.DataFrame(attendance))
    polls = [
        _poll("art-north", "p1", "60% backed the walkout", "support", 60),
        _poll("art-north", "p2", "30% were against it", "oppose", 30),
        _poll("art-wire", "p3", "60% of people support", "support", 60),
        _poll("art-wire", "p4", "a third oppose", "oppose", 33),
        _fact("art-trade", "p5", "72% in favour", pollster="YouGov",
              poll_date="2023-03-01", poll_date_precision="month", measure="support", pct=72),
        _fact("art-trade", "p6", "35% against", pollster="YouGov",
              poll_date="2023-03-01", poll_date_precision="month", measure="oppose", pct=35),
    ]  # fmt: skip
    insert_frame(con, "extracted.poll_results", pd.DataFrame(polls))
    strikes = [
        _fact("art-north", "s1", "will strike for 72 hours from Monday",
              staff_group="junior doctors", starts_at="2023-03-13 07:00:00",
              start_precision="minute", ends_at="2023-03-16 07:00:00", status="planned"),
        _fact("art-wire", "s2", "walked out at 7am on Monday", staff_group="junior doctors",
              starts_at="2023-03-13 07:00:00", start_precision="minute", status="held"),
        _fact("art-trade", "s3", "porters strike from 20 April until 18 April",
              staff_group="porters", starts_at="2023-04-20 00:00:00", start_precision="day",
              ends_at="2023-04-18 00:00:00", status="planned"),
    ]  # fmt: skip
    insert_frame(con, "extracted.strike_actions", pd.DataFrame(strikes))
    documents = [
        {"document_id": a, "source_file": f"{a}.txt", "bytes": len(text), "encoding": "utf-8",
         "text": text}
        for a, text in TEXTS.items()
    ]  # fmt: skip
    insert_frame(con, "extracted.documents", pd.DataFrame(documents))
    con.close()
    outcome = run_dbt_build(path, folder / "dbt", folder / "dbt-state")
    assert outcome.ok, [failure.describe() for failure in outcome.failures]
    assert outcome.warnings == {  # warned about, published anyway
        "poll_answers_do_not_add_up": 1,  # YouGov: 72 + 35
        "strike_ends_before_it_starts": 1,  # the porters
        "figure_far_outside_its_siblings": 1,  # 300 against 30,000 day cases
    }
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_handmade_conflict_keeps_both_evidences(handmade):
    found = rows(
        handmade,
        "select * from marts.figure_conflicts where figure_type = 'cancellations' "
        "and measure = 'operations'",
    )
    assert len(found) == 1, found  # Leeds is another place, not a conflict
    conflict = found[0]
    assert (conflict["value_a"], conflict["value_b"]) == (1200, 1500)
    assert conflict["evidence_a"] == "1,200 operations were called off"
    assert conflict["evidence_b"] == "more than 1,500 operations were postponed"
    assert conflict["publisher_a"] != conflict["publisher_b"]
    assert conflict["same_source"] is False
    assert conflict["qualifiers_reconcile"] is False  # exactly 1,200 is not more than 1,500
    assert conflict["best_value"] == 1200
    assert conflict["best_rule"] == "exact over hedged"


def test_handmade_hedged_figures_that_can_both_be_true_are_marked(handmade):
    found = rows(
        handmade,
        "select * from marts.figure_conflicts where figure_type = 'attendance'",
    )
    assert len(found) == 1
    # both exact percentages 33 and 36: they cannot both be true
    assert found[0]["qualifiers_reconcile"] is False
    assert found[0]["best_rule"] == "most recent"  # same support, the later article wins
    assert found[0]["best_value"] == 36


def test_handmade_agreeing_outlets_are_one_figure_without_conflict(handmade):
    found = rows(
        handmade,
        "select * from marts.cancellations_by_date where item = 'outpatient appointments'",
    )
    assert len(found) == 1
    row = found[0]
    assert (row["best_value"], row["mentions"], row["sources"]) == (9000, 2, 2)
    assert row["best_qualifier"] == "exact"  # the unhedged mention is the one shown
    assert row["best_rule"] == "only one value reported"
    assert not rows(
        handmade,
        "select * from marts.figure_conflicts where measure = 'outpatient appointments'",
    )


def test_handmade_period_figure_is_attributed_to_the_whole_period(handmade):
    found = rows(handmade, "select * from marts.cancellations_by_date where item = 'appointments'")
    assert len(found) == 1
    row = found[0]
    assert (str(row["period_start"]), str(row["period_end"])) == ("2023-03-13", "2023-03-15")
    assert row["period_days"] == 3
    assert row["attribution"] == "whole period"
    assert row["best_value"] == 175000  # not divided across the three days


def test_handmade_poll_reported_twice_is_one_row(handmade):
    found = rows(handmade, "select * from marts.support_by_poll where pollster = 'Survation'")
    assert len(found) == 1
    poll = found[0]
    assert poll["outlets"] == 2
    assert poll["support"] == 60
    assert poll["oppose"] == 30  # "30%" in figures beats "a third" in words
    assert poll["net_support"] == 30
    assert poll["poll_id"] == "survation|?|2023-03"  # one poll, however many outlets
    assert poll["disputed_answers"] == [
        {"answer": "oppose", "best_pct": 30.0, "min_pct": 30.0, "max_pct": 33.0}
    ]
    assert poll["does_not_add_up"] is False


def test_handmade_poll_that_does_not_add_up_is_flagged(handmade):
    found = rows(handmade, "select * from marts.support_by_poll where pollster = 'YouGov'")
    assert len(found) == 1
    assert found[0]["does_not_add_up"] is True
    assert found[0]["add_up_problems"] == ["support + oppose"]
    assert found[0]["support_plus_oppose"] == 107


def test_handmade_strike_reported_by_two_outlets_is_one_held_action(handmade):
    found = rows(
        handmade, "select * from marts.strike_timeline where staff_group = 'junior doctors'"
    )
    assert len(found) == 1
    strike = found[0]
    assert strike["status"] == "held"
    assert strike["outlets"] == 2
    assert strike["hours"] == 72
    assert str(strike["ends_at"]) == "2023-03-16 07:00:00"  # from the planned mention
    assert str(strike["last_day"]) == "2023-03-16"
    # operations in England and Leeds, outpatients, and the three-day appointments figure
    assert strike["cancellation_figures"] == len(strike["cancellations_reported"]) == 4
    assert {"item": "appointments", "best_value": 175000.0} in [
        {key: figure[key] for key in ("item", "best_value")}
        for figure in strike["cancellations_reported"]
    ]
    assert strike["ends_before_start"] is False


def test_handmade_implausible_rows_are_flagged_not_dropped(handmade):
    [porters] = rows(handmade, "select * from marts.strike_timeline where staff_group = 'porters'")
    assert porters["ends_before_start"] is True
    [day_cases] = rows(
        handmade, "select * from marts.cancellations_by_date where item = 'day cases'"
    )
    assert day_cases["has_figure_far_from_siblings"] is True
    assert day_cases["far_from_siblings_fact_ids"] == ["c7", "c8"]
    assert (day_cases["min_value"], day_cases["max_value"]) == (300, 30000)
    agreeing = rows(handmade, "select * from marts.cancellations_by_date where item <> 'day cases'")
    assert not any(row["has_figure_far_from_siblings"] for row in agreeing)

-- Figures that disagree: the same measure (same kind of figure, item or answer, unit, days, place;
-- for polls the same poll and question) reported with different values, e.g. 2,800 against
-- nearly 3,000 operations. One row per pair of different values, smaller value first, each with
-- the verbatim evidence and where it is. A value several mentions give is shown once, through its
-- most recent mention (value_a_mentions and value_b_mentions count them).
-- qualifiers_reconcile says whether both statements can be true at once given their hedging
-- (2,800 lies within "nearly 3,000"), see core.figure_mentions for the ranges.
-- figure_type: cancellations, attendance or poll
-- measure: What is counted: item group (cancellations), metric (attendance), answer (polls)
-- poll_id: Distinct poll (polls only)
-- scenario: Question or scenario of the poll answer (polls only)
-- period_start: First day the figures cover (poll date for polls)
-- period_end: Last day the figures cover
-- geography: Place the figures cover; null when the sources name none
-- unit: count or percent
-- value_a: The smaller value
-- qualifier_a: How value_a is hedged
-- evidence_a: Verbatim text stating value_a
-- source_file_a: File stating value_a
-- char_start_a: Start offset of evidence_a in the raw text of source_file_a
-- char_end_a: End offset (exclusive) of evidence_a
-- fact_id_a: Id of the mention stating value_a
-- publisher_a: Outlet stating value_a
-- value_a_mentions: Number of mentions giving value_a
-- value_b: The larger value
-- qualifier_b: How value_b is hedged
-- evidence_b: Verbatim text stating value_b
-- source_file_b: File stating value_b
-- char_start_b: Start offset of evidence_b in the raw text of source_file_b
-- char_end_b: End offset (exclusive) of evidence_b
-- fact_id_b: Id of the mention stating value_b
-- publisher_b: Outlet stating value_b
-- value_b_mentions: Number of mentions giving value_b
-- difference: value_b minus value_a
-- relative_difference: difference as a share of value_b, percent
-- same_source: True when one outlet gives both values (a correction or an update)
-- qualifiers_reconcile: True when both statements can be true at once given their qualifiers
-- best_value: Best estimate of the measure (core.figure_estimates)
-- best_rule: Which step of the best-estimate rule picked it
-- measure_key: Text key of the measure (core.figure_mentions)
with mentions as (
    select * from core.figure_mentions
),

estimates as (
    select measure_key, best_value, best_rule from core.figure_estimates
),

value_mentions as (
    select
        *,
        count(*) over (partition by measure_key, value) as value_mentions
    from mentions
    qualify row_number() over (
        partition by measure_key, value
        order by is_hedged, stated_at desc nulls last, fact_id
    ) = 1
),

pairs as (
    select
        a.measure_key,
        a.figure_type,
        a.measure,
        a.poll_id,
        a.scenario,
        a.period_start,
        a.period_end,
        a.geography,
        a.unit,
        a.value as value_a,
        a.qualifier as qualifier_a,
        a.evidence as evidence_a,
        a.source_file as source_file_a,
        a.char_start as char_start_a,
        a.char_end as char_end_a,
        a.fact_id as fact_id_a,
        a.publisher as publisher_a,
        a.value_mentions as value_a_mentions,
        b.value as value_b,
        b.qualifier as qualifier_b,
        b.evidence as evidence_b,
        b.source_file as source_file_b,
        b.char_start as char_start_b,
        b.char_end as char_end_b,
        b.fact_id as fact_id_b,
        b.publisher as publisher_b,
        b.value_mentions as value_b_mentions,
        b.value - a.value as difference,
        round(100.0 * (b.value - a.value) / b.value, 1) as relative_difference,
        a.source = b.source as same_source,
        greatest(a.low_bound, b.low_bound) <= least(a.high_bound, b.high_bound)
            as qualifiers_reconcile
    from value_mentions as a
    inner join value_mentions as b
        on a.measure_key = b.measure_key
        and a.value < b.value
),

final as (
    select
        pairs.figure_type,
        pairs.measure,
        pairs.poll_id,
        pairs.scenario,
        pairs.period_start,
        pairs.period_end,
        pairs.geography,
        pairs.unit,
        pairs.value_a,
        pairs.qualifier_a,
        pairs.evidence_a,
        pairs.source_file_a,
        pairs.char_start_a,
        pairs.char_end_a,
        pairs.fact_id_a,
        pairs.publisher_a,
        pairs.value_a_mentions,
        pairs.value_b,
        pairs.qualifier_b,
        pairs.evidence_b,
        pairs.source_file_b,
        pairs.char_start_b,
        pairs.char_end_b,
        pairs.fact_id_b,
        pairs.publisher_b,
        pairs.value_b_mentions,
        pairs.difference,
        pairs.relative_difference,
        pairs.same_source,
        pairs.qualifiers_reconcile,
        estimates.best_value,
        estimates.best_rule,
        pairs.measure_key
    from pairs
    inner join estimates on pairs.measure_key = estimates.measure_key
)

select * from final
order by figure_type, period_start, measure, geography, value_a, value_b

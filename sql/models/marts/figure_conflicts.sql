with mentions as (
    select * from {{ ref('int_figure_mentions') }}
),

estimates as (
    select measure_key, best_value, best_rule from {{ ref('int_figure_estimates') }}
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

-- Each value other than the measure's best estimate, paired with the best estimate: linear in
-- the number of mentions (every pair of values would be quadratic in the values reported).
compared_values as (
    select
        value_mentions.measure_key,
        least(value_mentions.value, estimates.best_value) as value_a,
        greatest(value_mentions.value, estimates.best_value) as value_b
    from value_mentions
    inner join estimates on value_mentions.measure_key = estimates.measure_key
    where value_mentions.value <> estimates.best_value
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
    from compared_values
    inner join value_mentions as a
        on compared_values.measure_key = a.measure_key
        and compared_values.value_a = a.value
    inner join value_mentions as b
        on compared_values.measure_key = b.measure_key
        and compared_values.value_b = b.value
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

with mentions as (
    select * from {{ ref('int_figure_mentions') }}
),

value_support as (
    select
        measure_key,
        value,
        bool_or(not is_hedged) as stated_exactly,
        count(distinct source) as value_sources,
        max(stated_at) as last_stated_at
    from mentions
    group by measure_key, value
),

ranked_values as (
    select
        *,
        row_number() over (
            partition by measure_key
            order by
                stated_exactly desc,
                value_sources desc,
                last_stated_at desc nulls last,
                value desc
        ) as value_rank
    from value_support
),

best_value as (
    select * from ranked_values where value_rank = 1
),

runner_up as (
    select * from ranked_values where value_rank = 2
),

best_mention as (
    select mentions.*
    from mentions
    inner join best_value
        on mentions.measure_key = best_value.measure_key
        and mentions.value = best_value.value
    qualify row_number() over (
        partition by mentions.measure_key
        order by mentions.is_hedged, mentions.stated_at desc nulls last, mentions.fact_id
    ) = 1
),

measures as (
    select
        measure_key,
        any_value(figure_type) as figure_type,
        any_value(poll_id) as poll_id,
        any_value(scenario) as scenario,
        any_value(measure) as measure,
        any_value(unit) as unit,
        any_value(period_start) as period_start,
        any_value(period_end) as period_end,
        any_value(geography) as geography,
        any_value(cumulative) as cumulative,
        min(value) as min_value,
        max(value) as max_value,
        count(distinct value) as distinct_values,
        count(*) as mentions,
        count(distinct source) as sources,
        coalesce(
            list(distinct stated_item order by stated_item) filter (where stated_item is not null),
            []
        ) as stated_items,
        list(distinct source_file order by source_file) as source_files,
        list(fact_id order by fact_id) as fact_ids,
        coalesce(
            list(fact_id order by fact_id) filter (where far_from_siblings), []
        ) as far_from_siblings_fact_ids
    from mentions
    group by measure_key
),

final as (
    select
        measures.measure_key,
        measures.figure_type,
        measures.poll_id,
        measures.scenario,
        measures.measure,
        measures.unit,
        measures.period_start,
        measures.period_end,
        measures.geography,
        measures.cumulative,
        best_value.value as best_value,
        best_mention.qualifier as best_qualifier,
        case
            when runner_up.value is null then 'only one value reported'
            when best_value.stated_exactly and not runner_up.stated_exactly
                then 'exact over hedged'
            when best_value.value_sources > runner_up.value_sources then 'more sources'
            when best_value.last_stated_at > runner_up.last_stated_at then 'most recent'
            else 'larger value'
        end as best_rule,
        best_mention.evidence as best_evidence,
        best_mention.source_file as best_source_file,
        best_mention.fact_id as best_fact_id,
        measures.min_value,
        measures.max_value,
        measures.distinct_values,
        measures.mentions,
        measures.sources,
        measures.stated_items,
        measures.source_files,
        measures.fact_ids,
        len(measures.far_from_siblings_fact_ids) > 0 as has_figure_far_from_siblings,
        measures.far_from_siblings_fact_ids
    from measures
    inner join best_value on measures.measure_key = best_value.measure_key
    inner join best_mention on measures.measure_key = best_mention.measure_key
    left join runner_up on measures.measure_key = runner_up.measure_key
)

select * from final

with estimates as (
    select * from {{ ref('int_figure_estimates') }}
    where figure_type = 'cancellations'
),

final as (
    select
        period_start,
        period_end,
        date_diff('day', period_start, period_end) + 1 as period_days,
        case
            when period_start = period_end then 'day'
            when period_start is null then 'undated'
            else 'whole period'
        end as attribution,
        measure as item,
        geography,
        unit,
        cumulative,
        best_value,
        best_qualifier,
        best_rule,
        best_evidence,
        best_source_file,
        best_fact_id,
        min_value,
        max_value,
        distinct_values,
        mentions,
        sources,
        stated_items as items_reported,
        has_figure_far_from_siblings,
        far_from_siblings_fact_ids,
        source_files,
        fact_ids
    from estimates
)

select * from final
order by period_start, item, geography, unit

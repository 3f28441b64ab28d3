with estimates as (
    select * from {{ ref('int_figure_estimates') }}
    where figure_type = 'attendance'
),

final as (
    select
        period_start as as_of,
        measure as metric,
        geography,
        unit,
        best_value,
        best_rule,
        best_evidence,
        best_source_file,
        best_fact_id,
        min_value,
        max_value,
        distinct_values,
        mentions,
        sources,
        has_figure_far_from_siblings,
        far_from_siblings_fact_ids,
        source_files,
        fact_ids
    from estimates
)

select * from final
order by as_of, metric, geography

-- Staff attendance and absence on strike days: one row per day, metric, unit and place, with the
-- figures sources report, the best estimate and the rule that picked it.
-- Best estimate (core.figure_estimates), first difference wins: a figure stated exactly beats a
-- hedged one; then the figure more outlets report; then the most recently stated one (NHS
-- England updates its count through the day); then the larger figure. best_rule says which.
-- as_of: Day the figures describe
-- metric: pct_working, pct_not_working, staff_absent or doctors_expected
-- geography: Place the figures cover; null when the sources name none
-- unit: count or percent
-- best_value: Best estimate of the figure (rule above)
-- best_rule: Step that picked best_value: only one value reported, exact over hedged, ...
-- best_evidence: Verbatim text the best estimate comes from
-- best_source_file: File the best estimate comes from
-- best_fact_id: Id of the mention the best estimate comes from
-- min_value: Smallest figure any source gives
-- max_value: Largest figure any source gives
-- distinct_values: Number of different figures reported; above 1 see marts.figure_conflicts
-- mentions: Number of mentions of the figure
-- sources: Number of distinct sources (outlets) reporting it
-- source_files: Files that report the figure
-- fact_ids: Ids of the mentions in core.attendance
with estimates as (
    select * from core.figure_estimates
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
        source_files,
        fact_ids
    from estimates
)

select * from final
order by as_of, metric, geography

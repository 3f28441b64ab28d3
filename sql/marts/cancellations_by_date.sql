-- Cancelled operations and appointments by date: one row per day or strike period, item and place,
-- with the figures sources report, the best estimate and the rule that picked it.
-- Best estimate (core.figure_estimates), first difference wins: a figure stated exactly beats a
-- hedged one (nearly, more than); then the figure more outlets report; then the most recently
-- stated one (later releases update earlier counts); then the larger figure. best_rule says which.
-- Period figures ("over the four days") are never divided across days: a figure is attributed to
-- the whole period it covers, period_start to period_end, and is listed once, on that period.
-- Figures for different periods, items, units or places are different rows and are not summed.
-- Items are grouped by their wording (see core.figure_mentions); items_reported keeps the words.
-- period_start: First day the figures cover
-- period_end: Last day the figures cover (period_start for a one-day figure)
-- period_days: Number of days from period_start to period_end
-- attribution: day (the figures are for that one day) or whole period (for the period as a whole)
-- item: What was cancelled, grouped: operations, appointments, appointments and operations, ...
-- geography: Place the figures cover; null when the sources name none
-- unit: count or percent (percent: share of the usual activity cancelled)
-- cumulative: True when the figures sum several strike actions
-- best_value: Best estimate of the figure (rule above)
-- best_qualifier: How the best figure is hedged: exact, more_than, nearly, ...
-- best_rule: Step that picked best_value: only one value reported, exact over hedged, ...
-- best_evidence: Verbatim text the best estimate comes from
-- best_source_file: File the best estimate comes from
-- best_fact_id: Id of the mention the best estimate comes from
-- min_value: Smallest figure any source gives
-- max_value: Largest figure any source gives
-- distinct_values: Number of different figures reported; above 1 see marts.figure_conflicts
-- mentions: Number of mentions of the figure
-- sources: Number of distinct sources (outlets) reporting it
-- items_reported: The wordings sources use for what was cancelled
-- source_files: Files that report the figure
-- fact_ids: Ids of the mentions in core.cancellations
with estimates as (
    select * from core.figure_estimates
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
        source_files,
        fact_ids
    from estimates
)

select * from final
order by period_start, item, geography, unit

-- Cancellation and attendance figures far outside the other mentions of the same measure
-- (flagged in marts.cancellations_by_date and marts.attendance_by_day).
with cancellations as (
    select * from {{ ref('cancellations_by_date') }}
),

attendance as (
    select * from {{ ref('attendance_by_day') }}
),

flagged as (
    select
        'cancellations' as figure_type,
        item as measure,
        period_start,
        geography,
        min_value,
        max_value,
        far_from_siblings_fact_ids
    from cancellations
    where has_figure_far_from_siblings
    union all
    select
        'attendance' as figure_type,
        metric as measure,
        as_of as period_start,
        geography,
        min_value,
        max_value,
        far_from_siblings_fact_ids
    from attendance
    where has_figure_far_from_siblings
),

final as (
    select * from flagged
)

select * from final

with strikes as (
    select * from {{ ref('int_strikes') }}
),

cancellations as (
    select * from {{ ref('int_figure_estimates') }}
    where figure_type = 'cancellations'
),

attendance as (
    select * from {{ ref('int_figure_estimates') }}
    where figure_type = 'attendance'
),

strike_cancellations as (
    select
        strikes.strike_id,
        count(*) as cancellation_figures,
        list(
            {
                'item': cancellations.measure,
                'geography': cancellations.geography,
                'period_start': cancellations.period_start,
                'period_end': cancellations.period_end,
                'unit': cancellations.unit,
                'best_value': cancellations.best_value,
                'best_qualifier': cancellations.best_qualifier,
                'best_fact_id': cancellations.best_fact_id
            }
            order by
                cancellations.period_start,
                cancellations.measure,
                cancellations.geography,
                cancellations.best_fact_id
        ) as cancellations_reported
    from strikes
    inner join cancellations
        on cancellations.period_start <= strikes.last_day
        and cancellations.period_end >= strikes.first_day
    group by strikes.strike_id
),

strike_attendance as (
    select
        strikes.strike_id,
        count(*) as attendance_figures,
        list(
            {
                'metric': attendance.measure,
                'geography': attendance.geography,
                'as_of': attendance.period_start,
                'unit': attendance.unit,
                'best_value': attendance.best_value,
                'best_fact_id': attendance.best_fact_id
            }
            order by
                attendance.period_start,
                attendance.measure,
                attendance.geography,
                attendance.best_fact_id
        ) as attendance_reported
    from strikes
    inner join attendance
        on attendance.period_start between strikes.first_day and strikes.last_day
    group by strikes.strike_id
),

final as (
    select
        strikes.strike_id,
        strikes.staff_group,
        strikes.starts_at,
        strikes.start_precision,
        strikes.ends_at,
        strikes.hours,
        strikes.first_day,
        strikes.last_day,
        strikes.scope,
        strikes.status,
        strikes.statuses_reported,
        strikes.ends_reported,
        strikes.ends_before_start,
        strikes.mentions,
        strikes.outlets,
        coalesce(strike_cancellations.cancellation_figures, 0) as cancellation_figures,
        coalesce(strike_cancellations.cancellations_reported, []) as cancellations_reported,
        coalesce(strike_attendance.attendance_figures, 0) as attendance_figures,
        coalesce(strike_attendance.attendance_reported, []) as attendance_reported,
        strikes.source_files,
        strikes.fact_ids
    from strikes
    left join strike_cancellations on strikes.strike_id = strike_cancellations.strike_id
    left join strike_attendance on strikes.strike_id = strike_attendance.strike_id
)

select * from final
order by starts_at, staff_group

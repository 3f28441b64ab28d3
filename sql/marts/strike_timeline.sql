-- Strike actions in date order: each action once across outlets (core.strikes), with the
-- cancellation and attendance figures reported for its days.
-- A cancellation figure belongs to an action when the days it covers overlap the action's days
-- (first_day to last_day); an attendance figure when its day falls within them. Figures are the
-- best estimates of marts.cancellations_by_date and marts.attendance_by_day, listed, never summed:
-- items overlap (operations are part of appointments and operations).
-- strike_id: Id of the action: staff group and first day
-- staff_group: Who strikes
-- starts_at: Start, UK local time (midnight if no time)
-- start_precision: How precise starts_at is: minute, day or month
-- ends_at: End, UK local time; null when no source gives one
-- hours: Length in hours, where start and end both have a time of day
-- first_day: First day of the action
-- last_day: Last day of the action
-- scope: What is withdrawn or still provided, as most mentions word it
-- status: held, suspended, planned or unknown (held when any source reports it held)
-- statuses_reported: Every status sources give
-- ends_reported: Every distinct end sources give; more than one means they disagree
-- mentions: Number of mentions of the action
-- outlets: Number of distinct outlets mentioning it
-- cancellation_figures: Number of rows of marts.cancellations_by_date for its days
-- cancellations_reported: Best estimate of each cancellation figure for its days, as text
-- attendance_figures: Number of attendance figures (rows of marts.attendance_by_day) for its days
-- attendance_reported: The attendance figures for its days, best estimates
-- source_files: Files that mention the action
-- fact_ids: Ids of the mentions in core.strike_actions
with strikes as (
    select * from core.strikes
),

cancellations as (
    select * from marts.cancellations_by_date
),

attendance as (
    select * from marts.attendance_by_day
),

cancellation_lines as (
    select
        strikes.strike_id,
        count(*) as cancellation_figures,
        string_agg(
            concat_ws(
                ' ',
                case
                    when cancellations.best_qualifier <> 'exact'
                        then replace(cancellations.best_qualifier, '_', ' ')
                end,
                case
                    when cancellations.unit = 'percent'
                        then regexp_replace(cancellations.best_value::varchar, '\.0$', '') || '%'
                    else format('{:t,}', cast(cancellations.best_value as bigint))
                end,
                cancellations.item,
                '(' || concat_ws(
                    ', ',
                    cancellations.geography,
                    case
                        when cancellations.attribution = 'whole period'
                            then strftime(cancellations.period_start, '%-d %b') || ' to '
                            || strftime(cancellations.period_end, '%-d %b %Y')
                        else strftime(cancellations.period_start, '%-d %b %Y')
                    end
                ) || ')'
            ),
            '; '
            order by cancellations.period_start, cancellations.item, cancellations.geography
        ) as cancellations_reported
    from strikes
    inner join cancellations
        on cancellations.period_start <= strikes.last_day
        and cancellations.period_end >= strikes.first_day
    group by strikes.strike_id
),

attendance_lines as (
    select
        strikes.strike_id,
        count(*) as attendance_figures,
        string_agg(
            concat_ws(
                ' ',
                attendance.metric,
                case
                    when attendance.unit = 'percent'
                        then regexp_replace(attendance.best_value::varchar, '\.0$', '') || '%'
                    else format('{:t,}', cast(attendance.best_value as bigint))
                end,
                '(' || concat_ws(
                    ', ', attendance.geography, strftime(attendance.as_of, '%-d %b %Y')
                ) || ')'
            ),
            '; '
            order by attendance.as_of, attendance.metric, attendance.geography
        ) as attendance_reported
    from strikes
    inner join attendance
        on attendance.as_of between strikes.first_day and strikes.last_day
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
        strikes.mentions,
        strikes.outlets,
        coalesce(cancellation_lines.cancellation_figures, 0) as cancellation_figures,
        cancellation_lines.cancellations_reported,
        coalesce(attendance_lines.attendance_figures, 0) as attendance_figures,
        attendance_lines.attendance_reported,
        strikes.source_files,
        strikes.fact_ids
    from strikes
    left join cancellation_lines on strikes.strike_id = cancellation_lines.strike_id
    left join attendance_lines on strikes.strike_id = attendance_lines.strike_id
)

select * from final
order by starts_at, staff_group

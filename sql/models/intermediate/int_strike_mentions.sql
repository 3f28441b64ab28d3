with actions as (
    select * from {{ ref('stg_strike_actions') }}
    where starts_at is not null
),

context as (
    select fact_id, source, stated_at from {{ ref('int_fact_mentions') }}
),

mentions as (
    select
        actions.*,
        coalesce(actions.staff_group, 'unspecified') as group_name,
        context.source,
        context.stated_at,
        case actions.start_precision when 'minute' then 1 when 'day' then 2 else 3 end
            as precision_rank
    from actions
    left join context on actions.fact_id = context.fact_id
),

day_actions as (
    select distinct
        group_name,
        cast(starts_at as date) as first_day
    from mentions
    where precision_rank < 3
),

single_action_months as (
    select
        group_name,
        date_trunc('month', first_day) as month,
        min(first_day) as first_day
    from day_actions
    group by group_name, date_trunc('month', first_day)
    having count(*) = 1
),

keyed as (
    select
        mentions.*,
        case
            when mentions.precision_rank < 3 then cast(mentions.starts_at as date)
            else coalesce(single_action_months.first_day, cast(mentions.starts_at as date))
        end as action_day
    from mentions
    left join single_action_months
        on mentions.precision_rank = 3
        and mentions.group_name = single_action_months.group_name
        and date_trunc('month', mentions.starts_at) = single_action_months.month
),

final as (
    select
        group_name || '|' || strftime(action_day, '%Y-%m-%d') as strike_id,
        fact_id,
        group_name,
        action_day,
        staff_group,
        starts_at,
        start_precision,
        precision_rank,
        ends_at,
        coalesce(ends_at < starts_at, false) as ends_before_start,
        scope,
        status,
        source,
        stated_at,
        article_id,
        post_id,
        source_file,
        evidence,
        char_start,
        char_end
    from keyed
)

select * from final

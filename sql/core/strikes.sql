-- One row per distinct strike action: every outlet's mentions of it merged into one event.
-- Mentions are the same action when they name the same staff group and start on the same day; a
-- mention dated only to a month joins the group's one action that month when there is exactly one.
-- Status: held when any mention reports it held (an action that took place stays held); else the
-- status of the most recent mention that states one (suspended or planned), else unknown.
-- Start and end come from one mention, picked in order: the most precise start (a time of day
-- before a bare day); one that gives an end; one of that status; the start and end most mentions
-- agree on; the most recent. Scope: the wording most mentions of that status use.
-- strike_id: Id of the action: staff group and first day
-- staff_group: Who strikes
-- starts_at: Start, UK local time (midnight if no time)
-- start_precision: How precise starts_at is: minute, day or month
-- ends_at: End, UK local time; null when no mention gives one
-- hours: Length in hours, where start and end both have a time of day
-- first_day: First day of the action
-- last_day: Last day of the action: the day before a midnight end; first_day when no end is given
-- scope: What is withdrawn or still provided, as most mentions word it
-- status: held, suspended, planned or unknown (see above)
-- statuses_reported: Every status the mentions give, for checking the rule
-- ends_reported: Every distinct end the mentions give; more than one means outlets disagree
-- mentions: Number of mentions of the action
-- outlets: Number of distinct outlets mentioning it
-- source_files: Files that mention it
-- fact_ids: Ids of the mentions in core.strike_actions
with actions as (
    select * from staging.stg_strike_actions
),

articles as (
    select article_id, publisher, published_date, published_at from staging.stg_articles
),

posts as (
    select post_id, posted_at from staging.stg_posts
),

mentions as (
    select
        actions.*,
        coalesce(actions.staff_group, 'unspecified') as group_name,
        coalesce(articles.publisher, actions.source_file) as source,
        coalesce(
            posts.posted_at, articles.published_at, cast(articles.published_date as timestamptz)
        ) as stated_at,
        case actions.start_precision when 'minute' then 1 when 'day' then 2 else 3 end
            as precision_rank
    from actions
    left join articles on actions.article_id = articles.article_id
    left join posts on actions.post_id = posts.post_id
    where actions.starts_at is not null
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

statuses as (
    select
        group_name,
        action_day,
        case
            when bool_or(status = 'held') then 'held'
            else coalesce(
                arg_max(status, stated_at) filter (where status <> 'unknown'), 'unknown'
            )
        end as status,
        list(distinct status order by status) as statuses_reported,
        list(distinct ends_at order by ends_at) filter (where ends_at is not null)
            as ends_reported,
        count(*) as mentions,
        count(distinct source) as outlets,
        list(distinct source_file order by source_file) as source_files,
        list(fact_id order by fact_id) as fact_ids
    from keyed
    group by group_name, action_day
),

pair_counts as (
    select
        keyed.*,
        count(*) over (
            partition by group_name, action_day, status, starts_at, ends_at
        ) as pair_mentions
    from keyed
),

representative as (
    select
        pair_counts.group_name,
        pair_counts.action_day,
        pair_counts.staff_group,
        pair_counts.starts_at,
        pair_counts.start_precision,
        pair_counts.ends_at,
        pair_counts.precision_rank
    from pair_counts
    inner join statuses
        on pair_counts.group_name = statuses.group_name
        and pair_counts.action_day = statuses.action_day
    qualify row_number() over (
        partition by pair_counts.group_name, pair_counts.action_day
        order by
            pair_counts.precision_rank,
            pair_counts.ends_at is not null desc,
            pair_counts.status = statuses.status desc,
            pair_counts.pair_mentions desc,
            pair_counts.stated_at desc,
            pair_counts.fact_id
    ) = 1
),

scopes as (
    select
        keyed.group_name,
        keyed.action_day,
        coalesce(
            mode(keyed.scope) filter (where keyed.status = statuses.status),
            mode(keyed.scope)
        ) as scope
    from keyed
    inner join statuses
        on keyed.group_name = statuses.group_name
        and keyed.action_day = statuses.action_day
    group by keyed.group_name, keyed.action_day, statuses.status
),

final as (
    select
        statuses.group_name || '|' || strftime(statuses.action_day, '%Y-%m-%d') as strike_id,
        representative.staff_group,
        representative.starts_at,
        representative.start_precision,
        representative.ends_at,
        case
            when representative.ends_at is not null and representative.precision_rank = 1
                then date_diff('minute', representative.starts_at, representative.ends_at) / 60.0
        end as hours,
        statuses.action_day as first_day,
        greatest(
            statuses.action_day,
            case
                when representative.precision_rank = 1
                    then cast(representative.ends_at - interval 1 minute as date)
                else cast(representative.ends_at as date)
            end
        ) as last_day,
        scopes.scope,
        statuses.status,
        statuses.statuses_reported,
        coalesce(statuses.ends_reported, []) as ends_reported,
        statuses.mentions,
        statuses.outlets,
        statuses.source_files,
        statuses.fact_ids
    from statuses
    inner join representative
        on statuses.group_name = representative.group_name
        and statuses.action_day = representative.action_day
    inner join scopes
        on statuses.group_name = scopes.group_name
        and statuses.action_day = scopes.action_day
)

select * from final

with mentions as (
    select * from {{ ref('int_strike_mentions') }}
),

statuses as (
    select
        strike_id,
        any_value(action_day) as action_day,
        case
            when bool_or(status = 'held') then 'held'
            else coalesce(
                arg_max(status, (stated_at, status))
                    filter (where status <> 'unknown' and stated_at is not null),
                'unknown'
            )
        end as status,
        list(distinct status order by status) as statuses_reported,
        list(distinct ends_at order by ends_at) filter (where ends_at is not null)
            as ends_reported,
        bool_or(ends_before_start) as ends_before_start,
        count(*) as mentions,
        count(distinct source) as outlets,
        list(distinct source_file order by source_file) as source_files,
        list(fact_id order by fact_id) as fact_ids
    from mentions
    group by strike_id
),

pair_counts as (
    select
        *,
        count(*) over (
            partition by strike_id, status, starts_at, ends_at
        ) as pair_mentions
    from mentions
),

representative as (
    select
        pair_counts.strike_id,
        pair_counts.staff_group,
        pair_counts.starts_at,
        pair_counts.start_precision,
        pair_counts.ends_at,
        pair_counts.precision_rank
    from pair_counts
    inner join statuses on pair_counts.strike_id = statuses.strike_id
    qualify row_number() over (
        partition by pair_counts.strike_id
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
        mentions.strike_id,
        coalesce(
            mode(mentions.scope order by mentions.scope)
                filter (where mentions.status = statuses.status),
            mode(mentions.scope order by mentions.scope)
        ) as scope
    from mentions
    inner join statuses on mentions.strike_id = statuses.strike_id
    group by mentions.strike_id, statuses.status
),

final as (
    select
        statuses.strike_id,
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
        statuses.ends_before_start,
        statuses.mentions,
        statuses.outlets,
        statuses.source_files,
        statuses.fact_ids
    from statuses
    inner join representative on statuses.strike_id = representative.strike_id
    inner join scopes on statuses.strike_id = scopes.strike_id
)

select * from final

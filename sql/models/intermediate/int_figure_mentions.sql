with cancellations as (
    select * from {{ ref('stg_cancellations') }}
),

attendance as (
    select * from {{ ref('stg_attendance') }}
),

poll_answers as (
    select * from {{ ref('int_poll_answers') }}
),

polls as (
    select poll_id, poll_date from {{ ref('int_polls') }}
),

context as (
    select fact_id, publisher, source, stated_at from {{ ref('int_fact_mentions') }}
),

cancellation_items as (
    select
        *,
        lower(trim(item)) as item_text
    from cancellations
),

cancellation_measures as (
    select
        fact_id,
        'cancellations' as figure_type,
        cast(null as varchar) as poll_id,
        cast(null as varchar) as scenario,
        case
            when item_text is null or item_text = '' then 'unspecified'
            when regexp_matches(item_text, 'appointment|outpatient|clinic')
                and regexp_matches(item_text, 'operation|surger|procedure|inpatient|day.?case')
                then 'appointments and operations'
            when item_text like '%inpatient%' then 'inpatient operations'
            when item_text like '%outpatient%' then 'outpatient appointments'
            when regexp_matches(item_text, 'operation|surger|procedure') then 'operations'
            when regexp_matches(item_text, 'day.?case') then 'day cases'
            when regexp_matches(item_text, 'appointment|clinic') then 'appointments'
            when regexp_matches(item_text, '^(the )?(cancellations?|postponements?)$')
                then 'unspecified'
            else item_text
        end as measure,
        item as stated_item,
        unit,
        value,
        qualifier,
        period_start,
        period_end,
        geography,
        cumulative,
        article_id,
        post_id,
        source_file,
        evidence,
        char_start,
        char_end
    from cancellation_items
),

attendance_measures as (
    select
        fact_id,
        'attendance' as figure_type,
        cast(null as varchar) as poll_id,
        cast(null as varchar) as scenario,
        metric as measure,
        metric as stated_item,
        unit,
        value,
        cast(null as varchar) as qualifier,
        as_of as period_start,
        as_of as period_end,
        geography,
        false as cumulative,
        article_id,
        post_id,
        source_file,
        evidence,
        char_start,
        char_end
    from attendance
),

poll_measures as (
    select
        poll_answers.fact_id,
        'poll' as figure_type,
        poll_answers.poll_id,
        poll_answers.scenario,
        poll_answers.measure,
        poll_answers.measure as stated_item,
        'percent' as unit,
        poll_answers.pct as value,
        case when poll_answers.stated_in_figures then 'exact' else 'about' end as qualifier,
        polls.poll_date as period_start,
        polls.poll_date as period_end,
        cast(null as varchar) as geography,
        false as cumulative,
        poll_answers.article_id,
        poll_answers.post_id,
        poll_answers.source_file,
        poll_answers.evidence,
        poll_answers.char_start,
        poll_answers.char_end
    from poll_answers
    left join polls on poll_answers.poll_id = polls.poll_id
),

all_measures as (
    select * from cancellation_measures
    union all by name
    select * from attendance_measures
    union all by name
    select * from poll_measures
),

keyed as (
    select
        concat_ws(
            ' | ',
            figure_type,
            coalesce(poll_id, '-'),
            coalesce(scenario, '-'),
            measure,
            unit,
            coalesce(cast(period_start as varchar), '-'),
            coalesce(cast(period_end as varchar), '-'),
            coalesce(geography, '-'),
            case when cumulative then 'cumulative' else 'single action' end
        ) as measure_key,
        *
    from all_measures
),

-- The median of a mention's siblings (the other mentions of its measure), in linear time: with
-- the measure's n values sorted and the mention at position i, leaving it out shifts the values
-- after i down by one, so the siblings' median needs only the few values around the middle.
ranked as (
    select
        fact_id,
        measure_key,
        value,
        row_number() over (partition by measure_key order by value, fact_id) - 1 as position,
        count(*) over (partition by measure_key) as measure_mentions
    from keyed
),

middles as (
    select
        measure_key,
        min(position) as first_position,
        list(value order by position) as middle_values
    from ranked
    where position between measure_mentions // 2 - 1 and measure_mentions // 2 + 1
    group by measure_key
),

sibling_positions as (
    select
        ranked.fact_id,
        ranked.measure_key,
        ranked.position,
        ranked.measure_mentions,
        middles.first_position,
        middles.middle_values,
        -- positions, among the siblings, of the middle value(s)
        case
            when ranked.measure_mentions % 2 = 0 then (ranked.measure_mentions - 2) // 2
            else (ranked.measure_mentions - 3) // 2
        end as low_middle,
        (ranked.measure_mentions - 2) // 2 + ranked.measure_mentions % 2 as high_middle
    from ranked
    inner join middles on ranked.measure_key = middles.measure_key
    where ranked.measure_mentions > 1
),

sibling_medians as (
    select
        fact_id,
        middle_values[
            low_middle + (low_middle >= position)::integer - first_position + 1
        ] as low_value,
        middle_values[
            high_middle + (high_middle >= position)::integer - first_position + 1
        ] as high_value,
        low_value + (high_value - low_value) / 2 as sibling_median
    from sibling_positions
),

final as (
    select
        keyed.measure_key,
        keyed.fact_id,
        keyed.figure_type,
        keyed.poll_id,
        keyed.scenario,
        keyed.measure,
        keyed.stated_item,
        keyed.unit,
        keyed.value,
        keyed.qualifier,
        case
            when keyed.qualifier in ('nearly', 'almost', 'about') then keyed.value * 0.9
            when keyed.qualifier = 'up_to' then 0
            else keyed.value
        end as low_bound,
        case
            when keyed.qualifier in ('more_than', 'over', 'at_least')
                then cast('infinity' as double)
            when keyed.qualifier = 'about' then keyed.value * 1.1
            else keyed.value
        end as high_bound,
        coalesce(keyed.qualifier <> 'exact', false) as is_hedged,
        keyed.period_start,
        keyed.period_end,
        keyed.geography,
        keyed.cumulative,
        context.publisher,
        context.source,
        context.stated_at,
        sibling_medians.sibling_median,
        coalesce(
            case
                when keyed.unit = 'percent'
                    then abs(keyed.value - sibling_medians.sibling_median)
                    > {{ var('far_from_siblings_points') }}
                else keyed.value > {{ var('far_from_siblings_ratio') }}
                    * sibling_medians.sibling_median
                    or keyed.value * {{ var('far_from_siblings_ratio') }}
                    < sibling_medians.sibling_median
            end,
            false
        ) as far_from_siblings,
        keyed.article_id,
        keyed.post_id,
        keyed.source_file,
        keyed.evidence,
        keyed.char_start,
        keyed.char_end
    from keyed
    left join context on keyed.fact_id = context.fact_id
    left join sibling_medians on keyed.fact_id = sibling_medians.fact_id
)

select * from final

-- Strike action mentions, with their length in hours where start and end are timed.
-- hours: Length of the action in hours, where start and end both have a time of day
with source as (
    select * from core.strike_actions
),

final as (
    select
        fact_id,
        article_id,
        source_file,
        post_id,
        evidence,
        char_start,
        char_end,
        extractor_version,
        staff_group,
        starts_at,
        start_precision,
        ends_at,
        scope,
        status,
        case
            when ends_at is not null and start_precision = 'minute'
                then date_diff('minute', starts_at, ends_at) / 60.0
        end as hours
    from source
)

select * from final

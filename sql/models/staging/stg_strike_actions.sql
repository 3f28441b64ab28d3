with source as (
    select * from {{ source('extracted', 'strike_actions') }}
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
        nullif(trim(staff_group), '') as staff_group,
        starts_at,
        start_precision,
        ends_at,
        case
            when ends_at is not null and start_precision = 'minute'
                then date_diff('minute', starts_at, ends_at) / 60.0
        end as hours,
        nullif(trim(scope), '') as scope,
        status
    from source
)

select * from final

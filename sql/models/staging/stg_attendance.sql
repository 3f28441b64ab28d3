with source as (
    select * from {{ source('extracted', 'attendance') }}
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
        metric,
        value,
        unit,
        as_of,
        nullif(trim(geography), '') as geography
    from source
)

select * from final

with source as (
    select * from {{ source('extracted', 'cancellations') }}
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
        value,
        unit,
        qualifier,
        nullif(trim(item), '') as item,
        period_start,
        coalesce(period_end, period_start) as period_end,
        nullif(trim(geography), '') as geography,
        cumulative
    from source
)

select * from final

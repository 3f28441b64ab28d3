with source as (
    select * from {{ source('extracted', 'other_figures') }}
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
        nullif(trim(label), '') as label
    from source
)

select * from final

with source as (
    select * from {{ source('extracted', 'quotes') }}
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
        nullif(trim(speaker), '') as speaker,
        nullif(trim(speaker_role), '') as speaker_role,
        nullif(trim(organisation), '') as organisation,
        quote
    from source
)

select * from final

-- Quotations with their speakers.
with source as (
    select * from core.quotes
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
        speaker,
        speaker_role,
        organisation,
        quote
    from source
)

select * from final

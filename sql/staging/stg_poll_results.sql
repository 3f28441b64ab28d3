-- Poll answer mentions, one row per answer option per article.
with source as (
    select * from core.poll_results
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
        poll_id,
        pollster,
        commissioned_by,
        sample_size,
        population,
        poll_date,
        poll_date_precision,
        question,
        measure,
        pct
    from source
)

select * from final

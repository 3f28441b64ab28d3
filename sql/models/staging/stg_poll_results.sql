with source as (
    select * from {{ source('extracted', 'poll_results') }}
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
        nullif(trim(pollster), '') as pollster,
        nullif(trim(commissioned_by), '') as commissioned_by,
        sample_size,
        nullif(trim(population), '') as population,
        poll_date,
        poll_date_precision,
        nullif(trim(question), '') as question,
        nullif(trim(subgroup), '') as subgroup,
        earlier_wave,
        measure,
        pct
    from source
)

select * from final

-- Articles, one row each, as the pipeline loaded them.
with source as (
    select * from core.articles
),

final as (
    select
        article_id,
        document_id,
        source_file,
        publisher,
        url,
        headline,
        authors,
        published_date,
        published_at,
        published_date_source,
        date_note,
        format
    from source
)

select * from final

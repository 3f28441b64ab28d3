with source as (
    select * from {{ source('extracted', 'articles') }}
),

final as (
    select
        article_id,
        document_id,
        source_file,
        nullif(trim(publisher), '') as publisher,
        nullif(trim(url), '') as url,
        nullif(trim(headline), '') as headline,
        authors,
        published_date,
        published_at,
        published_date_source,
        date_note,
        format as article_format,
        format = 'live_blog' as is_live_blog
    from source
)

select * from final

with source as (
    select * from {{ source('extracted', 'posts') }}
),

final as (
    select
        post_id,
        article_id,
        source_file,
        seq,
        posted_at,
        nullif(trim(title), '') as title,
        body,
        char_start,
        char_end
    from source
)

select * from final

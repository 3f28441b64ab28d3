-- Live-blog posts, one row each.
with source as (
    select * from core.posts
),

final as (
    select
        post_id,
        article_id,
        source_file,
        seq,
        posted_at,
        title,
        body,
        char_start,
        char_end
    from source
)

select * from final

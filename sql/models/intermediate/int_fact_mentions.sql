with articles as (
    select article_id, publisher, published_date, published_at from {{ ref('stg_articles') }}
),

posts as (
    select post_id, posted_at from {{ ref('stg_posts') }}
),

facts as (
    {% for fact_type in var('fact_types') %}
    select
        fact_id,
        '{{ fact_type }}' as fact_type,
        article_id,
        post_id,
        source_file,
        evidence,
        char_start,
        char_end,
        extractor_version
    from {{ ref('stg_' ~ fact_type) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        facts.fact_id,
        facts.fact_type,
        facts.article_id,
        facts.post_id,
        facts.source_file,
        facts.evidence,
        facts.char_start,
        facts.char_end,
        facts.extractor_version,
        articles.publisher,
        coalesce(articles.publisher, facts.source_file) as source,
        articles.published_date,
        coalesce(
            posts.posted_at, articles.published_at, cast(articles.published_date as timestamptz)
        ) as stated_at
    from facts
    left join articles on facts.article_id = articles.article_id
    left join posts on facts.post_id = posts.post_id
)

select * from final

with articles as (
    select * from {{ ref('stg_articles') }}
),

posts as (
    select article_id from {{ ref('stg_posts') }}
),

facts as (
    select article_id, fact_type from {{ ref('int_fact_mentions') }}
),

posts_per_article as (
    select article_id, count(*) as posts
    from posts
    group by article_id
),

facts_per_article as (
    select
        article_id,
        count(*) as facts,
        {% for fact_type in var('fact_types') %}
        count(*) filter (where fact_type = '{{ fact_type }}') as {{ fact_type }}
        {%- if not loop.last %},{% endif %}
        {% endfor %}
    from facts
    group by article_id
),

final as (
    select
        articles.publisher,
        articles.published_date,
        count(*) as articles,
        count(*) filter (where articles.is_live_blog) as live_blogs,
        cast(coalesce(sum(posts_per_article.posts), 0) as bigint) as posts,
        cast(coalesce(sum(facts_per_article.facts), 0) as bigint) as facts,
        {% for fact_type in var('fact_types') %}
        cast(coalesce(sum(facts_per_article.{{ fact_type }}), 0) as bigint) as {{ fact_type }},
        {% endfor %}
        list(articles.source_file order by articles.source_file) as source_files
    from articles
    left join posts_per_article on articles.article_id = posts_per_article.article_id
    left join facts_per_article on articles.article_id = facts_per_article.article_id
    group by articles.publisher, articles.published_date
)

select * from final
order by published_date, publisher

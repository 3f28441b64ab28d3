-- Coverage by outlet and day: how many articles, live-blog posts and facts each outlet published.
-- The day is the article's published_date (a live blog counts on the day it was published, even
-- when its posts run past midnight). Facts are all mentions of every fact table.
-- publisher: Outlet; null when neither the text nor the manifest names one
-- published_date: Day of publication (UK local)
-- articles: Number of articles
-- live_blogs: Number of those articles that are live blogs
-- posts: Number of live-blog posts
-- facts: Number of fact mentions of every kind
-- poll_results: Number of poll answer mentions
-- cancellations: Number of cancellation figure mentions
-- attendance: Number of attendance figure mentions
-- strike_actions: Number of strike action mentions
-- quotes: Number of quotations
-- other_figures: Number of other figure mentions
-- source_files: Files of the outlet's articles that day
with articles as (
    select * from staging.stg_articles
),

posts as (
    select article_id from staging.stg_posts
),

facts as (
    select article_id, 'poll_results' as fact_type from staging.stg_poll_results
    union all
    select article_id, 'cancellations' from staging.stg_cancellations
    union all
    select article_id, 'attendance' from staging.stg_attendance
    union all
    select article_id, 'strike_actions' from staging.stg_strike_actions
    union all
    select article_id, 'quotes' from staging.stg_quotes
    union all
    select article_id, 'other_figures' from staging.stg_other_figures
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
        count(*) filter (where fact_type = 'poll_results') as poll_results,
        count(*) filter (where fact_type = 'cancellations') as cancellations,
        count(*) filter (where fact_type = 'attendance') as attendance,
        count(*) filter (where fact_type = 'strike_actions') as strike_actions,
        count(*) filter (where fact_type = 'quotes') as quotes,
        count(*) filter (where fact_type = 'other_figures') as other_figures
    from facts
    group by article_id
),

final as (
    select
        articles.publisher,
        articles.published_date,
        count(*) as articles,
        count(*) filter (where articles.format = 'live_blog') as live_blogs,
        cast(coalesce(sum(posts_per_article.posts), 0) as bigint) as posts,
        cast(coalesce(sum(facts_per_article.facts), 0) as bigint) as facts,
        cast(coalesce(sum(facts_per_article.poll_results), 0) as bigint) as poll_results,
        cast(coalesce(sum(facts_per_article.cancellations), 0) as bigint) as cancellations,
        cast(coalesce(sum(facts_per_article.attendance), 0) as bigint) as attendance,
        cast(coalesce(sum(facts_per_article.strike_actions), 0) as bigint) as strike_actions,
        cast(coalesce(sum(facts_per_article.quotes), 0) as bigint) as quotes,
        cast(coalesce(sum(facts_per_article.other_figures), 0) as bigint) as other_figures,
        list(articles.source_file order by articles.source_file) as source_files
    from articles
    left join posts_per_article on articles.article_id = posts_per_article.article_id
    left join facts_per_article on articles.article_id = facts_per_article.article_id
    group by articles.publisher, articles.published_date
)

select * from final
order by published_date, publisher

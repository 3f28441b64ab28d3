-- One row per distinct poll (or union ballot): the same poll reported by several outlets is one row.
-- poll_id: Id of the distinct poll, from pollster, sponsor and month (see strikewatch.extract.polls)
-- pollster: Who ran the poll, as most mentions name it
-- commissioned_by: Who paid for the poll, as most mentions name it
-- sample_size: Largest sample size any mention gives
-- population: Who was asked, as most mentions say
-- poll_date: Earliest date any mention gives for the poll
-- poll_date_precision: Precision of poll_date: day, month or year
-- answers: Number of distinct answer options reported (measure and question)
-- mentions: Number of answer mentions across all articles
-- articles: Number of articles reporting the poll
-- outlets: Number of distinct publishers reporting the poll
-- source_files: Files that report the poll
with answers as (
    select * from staging.stg_poll_results
),

articles as (
    select article_id, publisher from staging.stg_articles
),

answers_with_outlet as (
    select
        answers.*,
        articles.publisher
    from answers
    left join articles using (article_id)
),

final as (
    select
        poll_id,
        mode(pollster) as pollster,
        mode(commissioned_by) as commissioned_by,
        max(sample_size) as sample_size,
        mode(population) as population,
        min(poll_date) as poll_date,
        arg_min(poll_date_precision, poll_date) as poll_date_precision,
        count(distinct coalesce(question, '') || '|' || measure) as answers,
        count(*) as mentions,
        count(distinct article_id) as articles,
        count(distinct publisher) as outlets,
        list(distinct source_file order by source_file) as source_files
    from answers_with_outlet
    group by poll_id
)

select * from final

-- Poll answer mentions, each tied to its distinct poll (core.polls) and scenario.
-- The scenario is the question as the text words it. A mention that gives no question takes the
-- poll's question when all other mentions of that poll agree on a single one; otherwise it stays
-- under a null scenario. Answers written in figures (57%, 26 per cent) are told apart from answers
-- in words (a quarter, one in five), which are roundings: the marts prefer figures.
-- fact_id: Id of the mention in core.poll_results
-- poll_id: Distinct poll the answer belongs to (core.polls)
-- scenario: Question or scenario the answer is to, after filling unstated questions (see above)
-- question: Question or scenario as this mention words it
-- measure: Answer option: support, oppose, ... or other:<what>
-- pct: Share giving that answer, percent
-- stated_in_figures: True when the evidence writes the share in digits, false for words
-- publisher: Outlet of the article
-- source: Outlet, or the file when the outlet is unknown: what counts as one source
-- stated_at: When the answer was published: the live-blog post's time, else the article's
-- article_id: Article the mention is in
-- post_id: Live-blog post holding the mention
-- source_file: Path of the file relative to the source folder
-- evidence: Verbatim text that states the answer
-- char_start: Start offset of evidence in the raw text
-- char_end: End offset (exclusive) of evidence in the raw text
with answers as (
    select * from staging.stg_poll_results
),

articles as (
    select article_id, publisher, published_date, published_at from staging.stg_articles
),

posts as (
    select post_id, posted_at from staging.stg_posts
),

poll_questions as (
    select
        poll_id,
        count(distinct question) as questions,
        min(question) as only_question
    from answers
    group by poll_id
),

final as (
    select
        answers.fact_id,
        answers.poll_id,
        case
            when answers.question is not null then answers.question
            when poll_questions.questions = 1 then poll_questions.only_question
        end as scenario,
        answers.question,
        answers.measure,
        answers.pct,
        regexp_matches(answers.evidence, '[0-9]') as stated_in_figures,
        articles.publisher,
        coalesce(articles.publisher, answers.source_file) as source,
        coalesce(
            posts.posted_at, articles.published_at, cast(articles.published_date as timestamptz)
        ) as stated_at,
        answers.article_id,
        answers.post_id,
        answers.source_file,
        answers.evidence,
        answers.char_start,
        answers.char_end
    from answers
    left join poll_questions on answers.poll_id = poll_questions.poll_id
    left join articles on answers.article_id = articles.article_id
    left join posts on answers.post_id = posts.post_id
)

select * from final

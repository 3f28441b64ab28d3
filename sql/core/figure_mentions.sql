-- Every figure mention (cancellations, attendance, poll answers) in one shape, keyed by the
-- measure it reports: mentions with the same measure_key report the same quantity and should
-- agree. The key is figure type, poll and scenario (polls), what is counted, unit, days covered,
-- place, and whether the figure sums several strike actions.
-- Cancelled items are grouped by the words the text uses, first match wins: appointments
-- together with operations; inpatient; outpatient; operations, surgery or procedures; day cases;
-- appointments or clinics; no item or just "cancellations" is unspecified; anything else keeps
-- its own lower-cased wording. A poll answer written in words (a quarter) counts as "about".
-- Each mention carries the range of true values its wording allows. The range: exact = the
-- value; more than, over, at least = the value or above; nearly, almost = 90% to 100% of it;
-- about = 90% to 110%; up to = 0 to the value.
-- measure_key: Text key of the measure; mentions sharing it report the same quantity
-- fact_id: Id of the mention in core.cancellations, core.attendance or core.poll_results
-- figure_type: cancellations, attendance or poll
-- poll_id: Distinct poll the answer belongs to (polls only)
-- scenario: Question or scenario of the poll answer (polls only; see core.poll_answers)
-- measure: What is counted: item group (cancellations), metric (attendance), answer (polls)
-- stated_item: Wording of what was cancelled (cancellations); the metric or answer otherwise
-- unit: count or percent
-- value: The figure as stated
-- qualifier: How the figure is hedged: exact, more_than, nearly, about, ...; null for attendance
-- low_bound: Smallest true value the stated figure and qualifier allow
-- high_bound: Largest true value the stated figure and qualifier allow (infinity when open)
-- is_hedged: True when the qualifier is anything but exact (or none)
-- period_start: First day the figure covers: as_of for attendance, poll date for polls
-- period_end: Last day the figure covers: as_of for attendance, poll date for polls
-- geography: Place the figure covers; null when the text names none
-- cumulative: True when the figure sums several strike actions
-- publisher: Outlet of the article
-- source: Outlet, or the file when the outlet is unknown: what counts as one source
-- stated_at: When the figure was published: the live-blog post's time, else the article's
-- article_id: Article the mention is in
-- post_id: Live-blog post holding the mention
-- source_file: Path of the file relative to the source folder
-- evidence: Verbatim text that states the figure
-- char_start: Start offset of evidence in the raw text
-- char_end: End offset (exclusive) of evidence in the raw text
with cancellations as (
    select * from staging.stg_cancellations
),

attendance as (
    select * from staging.stg_attendance
),

poll_answers as (
    select * from core.poll_answers
),

polls as (
    select poll_id, poll_date from core.polls
),

articles as (
    select article_id, publisher, published_date, published_at from staging.stg_articles
),

posts as (
    select post_id, posted_at from staging.stg_posts
),

cancellation_items as (
    select
        *,
        lower(trim(item)) as item_text
    from cancellations
),

cancellation_measures as (
    select
        fact_id,
        'cancellations' as figure_type,
        cast(null as varchar) as poll_id,
        cast(null as varchar) as scenario,
        case
            when item_text is null or item_text = '' then 'unspecified'
            when regexp_matches(item_text, 'appointment|outpatient|clinic')
                and regexp_matches(item_text, 'operation|surger|procedure|inpatient|day.?case')
                then 'appointments and operations'
            when item_text like '%inpatient%' then 'inpatient operations'
            when item_text like '%outpatient%' then 'outpatient appointments'
            when regexp_matches(item_text, 'operation|surger|procedure') then 'operations'
            when regexp_matches(item_text, 'day.?case') then 'day cases'
            when regexp_matches(item_text, 'appointment|clinic') then 'appointments'
            when regexp_matches(item_text, '^(the )?(cancellations?|postponements?)$')
                then 'unspecified'
            else item_text
        end as measure,
        item as stated_item,
        unit,
        value,
        qualifier,
        period_start,
        period_end,
        geography,
        cumulative,
        article_id,
        post_id,
        source_file,
        evidence,
        char_start,
        char_end
    from cancellation_items
),

attendance_measures as (
    select
        fact_id,
        'attendance' as figure_type,
        cast(null as varchar) as poll_id,
        cast(null as varchar) as scenario,
        metric as measure,
        metric as stated_item,
        unit,
        value,
        cast(null as varchar) as qualifier,
        as_of as period_start,
        as_of as period_end,
        geography,
        false as cumulative,
        article_id,
        post_id,
        source_file,
        evidence,
        char_start,
        char_end
    from attendance
),

poll_measures as (
    select
        poll_answers.fact_id,
        'poll' as figure_type,
        poll_answers.poll_id,
        poll_answers.scenario,
        poll_answers.measure,
        poll_answers.measure as stated_item,
        'percent' as unit,
        poll_answers.pct as value,
        case when poll_answers.stated_in_figures then 'exact' else 'about' end as qualifier,
        polls.poll_date as period_start,
        polls.poll_date as period_end,
        cast(null as varchar) as geography,
        false as cumulative,
        poll_answers.article_id,
        poll_answers.post_id,
        poll_answers.source_file,
        poll_answers.evidence,
        poll_answers.char_start,
        poll_answers.char_end
    from poll_answers
    left join polls on poll_answers.poll_id = polls.poll_id
),

all_measures as (
    select * from cancellation_measures
    union all by name
    select * from attendance_measures
    union all by name
    select * from poll_measures
),

final as (
    select
        concat_ws(
            ' | ',
            all_measures.figure_type,
            coalesce(all_measures.poll_id, '-'),
            coalesce(all_measures.scenario, '-'),
            all_measures.measure,
            all_measures.unit,
            coalesce(cast(all_measures.period_start as varchar), '-'),
            coalesce(cast(all_measures.period_end as varchar), '-'),
            coalesce(all_measures.geography, '-'),
            case when all_measures.cumulative then 'cumulative' else 'single action' end
        ) as measure_key,
        all_measures.fact_id,
        all_measures.figure_type,
        all_measures.poll_id,
        all_measures.scenario,
        all_measures.measure,
        all_measures.stated_item,
        all_measures.unit,
        all_measures.value,
        all_measures.qualifier,
        case
            when all_measures.qualifier in ('nearly', 'almost', 'about')
                then all_measures.value * 0.9
            when all_measures.qualifier = 'up_to' then 0
            else all_measures.value
        end as low_bound,
        case
            when all_measures.qualifier in ('more_than', 'over', 'at_least')
                then cast('infinity' as double)
            when all_measures.qualifier = 'about' then all_measures.value * 1.1
            else all_measures.value
        end as high_bound,
        coalesce(all_measures.qualifier <> 'exact', false) as is_hedged,
        all_measures.period_start,
        all_measures.period_end,
        all_measures.geography,
        all_measures.cumulative,
        articles.publisher,
        coalesce(articles.publisher, all_measures.source_file) as source,
        coalesce(
            posts.posted_at, articles.published_at, cast(articles.published_date as timestamptz)
        ) as stated_at,
        all_measures.article_id,
        all_measures.post_id,
        all_measures.source_file,
        all_measures.evidence,
        all_measures.char_start,
        all_measures.char_end
    from all_measures
    left join articles on all_measures.article_id = articles.article_id
    left join posts on all_measures.post_id = posts.post_id
)

select * from final

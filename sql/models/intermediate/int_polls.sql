with answers as (
    select * from {{ ref('int_poll_answers') }}
),

final as (
    select
        poll_id,
        mode(pollster order by pollster) as pollster,
        mode(commissioned_by order by commissioned_by) as commissioned_by,
        max(sample_size) as sample_size,
        mode(population order by population) as population,
        min(poll_date) as poll_date,
        arg_min(poll_date_precision, (poll_date, poll_date_precision))
            filter (where poll_date is not null) as poll_date_precision,
        count(distinct coalesce(question, '') || '|' || measure) as answers,
        count(*) as mentions,
        count(distinct article_id) as articles,
        count(distinct publisher) as outlets,
        list(distinct source_file order by source_file) as source_files
    from answers
    group by poll_id
)

select * from final

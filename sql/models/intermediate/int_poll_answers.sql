with answers as (
    select * from {{ ref('stg_poll_results') }}
),

mentions as (
    select fact_id, publisher, source, stated_at from {{ ref('int_fact_mentions') }}
),

identified as (
    select
        *,
        case
            when {{ identity_words('pollster') }} = '?'
                then {{ identity_words('population') }} || ':'
                || coalesce(cast(sample_size as varchar), 'None')
            else {{ identity_words('pollster') }}
        end
        || '|' || {{ identity_words('commissioned_by') }}
        || '|' || coalesce(strftime(poll_date, '%Y-%m'), 'None')
        || case when earlier_wave and poll_date is null then '|earlier' else '' end
        || case
            when subgroup is not null then '|' || {{ identity_words('subgroup') }} else ''
        end as poll_id
    from answers
),

poll_questions as (
    select
        poll_id,
        count(distinct question) as questions,
        min(question) as only_question
    from identified
    group by poll_id
),

final as (
    select
        identified.fact_id,
        identified.poll_id,
        case
            when identified.question is not null then identified.question
            when poll_questions.questions = 1 then poll_questions.only_question
        end as scenario,
        identified.question,
        identified.subgroup,
        identified.earlier_wave,
        identified.measure,
        identified.pct,
        regexp_matches(identified.evidence, '[0-9]') as stated_in_figures,
        identified.pollster,
        identified.commissioned_by,
        identified.sample_size,
        identified.population,
        identified.poll_date,
        identified.poll_date_precision,
        mentions.publisher,
        mentions.source,
        mentions.stated_at,
        identified.article_id,
        identified.post_id,
        identified.source_file,
        identified.evidence,
        identified.char_start,
        identified.char_end
    from identified
    left join poll_questions on identified.poll_id = poll_questions.poll_id
    left join mentions on identified.fact_id = mentions.fact_id
)

select * from final

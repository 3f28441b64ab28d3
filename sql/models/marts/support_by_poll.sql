with estimates as (
    select * from {{ ref('int_figure_estimates') }}
    where figure_type = 'poll'
),

polls as (
    select * from {{ ref('int_polls') }}
),

answers as (
    select * from {{ ref('int_poll_answers') }}
),

pivoted as (
    select
        poll_id,
        scenario,
        max(best_value) filter (where measure = 'support') as support,
        max(best_value) filter (where measure = 'oppose') as oppose,
        max(best_value) filter (where measure = 'strongly_support') as strongly_support,
        max(best_value) filter (where measure = 'strongly_oppose') as strongly_oppose,
        max(best_value) filter (where measure = 'dont_know') as dont_know,
        max(best_value) filter (where measure = 'blame_government') as blame_government,
        max(best_value) filter (where measure = 'blame_doctors') as blame_doctors,
        max(best_value) filter (where measure = 'blame_both') as blame_both,
        list(
            {'answer': replace(measure, 'other:', ''), 'pct': best_value} order by measure
        ) filter (where measure like 'other:%') as other_answers,
        list(
            {
                'answer': measure,
                'best_pct': best_value,
                'min_pct': min_value,
                'max_pct': max_value
            }
            order by measure
        ) filter (where distinct_values > 1) as disputed_answers
    from estimates
    group by poll_id, scenario
),

coverage as (
    select
        poll_id,
        scenario,
        count(distinct source) as outlets,
        count(*) as mentions,
        list(distinct source_file order by source_file) as source_files
    from answers
    group by poll_id, scenario
),

totals as (
    select
        *,
        support + oppose as support_plus_oppose,
        support + oppose + dont_know as support_oppose_dont_know,
        case
            when coalesce(blame_government, blame_doctors, blame_both) is not null
                then coalesce(blame_government, 0) + coalesce(blame_doctors, 0)
                + coalesce(blame_both, 0)
        end as blame_total
    from pivoted
),

checked as (
    select
        *,
        list_filter(
            [
                case
                    when support_plus_oppose > 100 + {{ var('poll_rounding_points') }}
                        then 'support + oppose'
                end,
                case
                    when support_oppose_dont_know > 100 + {{ var('poll_rounding_points') }}
                        then 'support + oppose + dont_know'
                end,
                case
                    when strongly_support > support then 'strongly_support above support'
                end,
                case
                    when strongly_oppose > oppose then 'strongly_oppose above oppose'
                end,
                case
                    when blame_total > 100 + {{ var('poll_rounding_points') }}
                        then 'blame answers'
                end
            ],
            lambda problem: problem is not null
        ) as problems
    from totals
),

final as (
    select
        checked.poll_id,
        polls.pollster,
        polls.commissioned_by,
        polls.poll_date,
        polls.poll_date_precision,
        polls.sample_size,
        polls.population,
        checked.scenario as question,
        checked.support,
        checked.oppose,
        checked.strongly_support,
        checked.strongly_oppose,
        checked.dont_know,
        checked.support - checked.oppose as net_support,
        checked.blame_government,
        checked.blame_doctors,
        checked.blame_both,
        coalesce(checked.other_answers, []) as other_answers,
        checked.support_plus_oppose,
        checked.support_oppose_dont_know,
        checked.blame_total,
        len(checked.problems) > 0 as does_not_add_up,
        checked.problems as add_up_problems,
        coalesce(checked.disputed_answers, []) as disputed_answers,
        coverage.outlets,
        coverage.mentions,
        coverage.source_files
    from checked
    inner join polls on checked.poll_id = polls.poll_id
    inner join coverage
        on checked.poll_id = coverage.poll_id
        and checked.scenario is not distinct from coverage.scenario
)

select * from final
order by poll_date, poll_id, question

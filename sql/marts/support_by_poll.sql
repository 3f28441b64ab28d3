-- Public and member polls on the strikes: one row per distinct poll (core.polls) and question or
-- scenario, however many outlets reported it, with the answers as percentages.
-- Each answer is the best estimate across mentions (core.figure_estimates): a share written in
-- figures (26%) beats one in words (a quarter); then the share more outlets report; then the most
-- recent; then the larger. Answers that disagree between mentions are listed in
-- disputed_answers. Answers that cannot all be true are flagged in does_not_add_up, not hidden:
-- support + oppose, or support + oppose + don't know, or the three blame answers, above 100 by
-- more than 1 point (the rounding two or three whole-number shares can add), or a "strongly"
-- share above its overall share.
-- poll_id: Id of the distinct poll, from pollster, sponsor and month
-- pollster: Who ran the poll or ballot, as most mentions name it
-- commissioned_by: Who paid for the poll, as most mentions name it
-- poll_date: When the poll ran (first day of its precision)
-- poll_date_precision: Precision of poll_date: day, month or year
-- sample_size: Number of respondents, the largest any mention gives
-- population: Who was asked, as most mentions say
-- question: Question or scenario the answers are to; null when no mention words it
-- support: Percent supporting the strike (best estimate)
-- oppose: Percent opposing it (best estimate)
-- strongly_support: Percent strongly supporting
-- strongly_oppose: Percent strongly opposing
-- dont_know: Percent answering don't know
-- net_support: support minus oppose, in percentage points
-- blame_government: Percent blaming the government
-- blame_doctors: Percent blaming the doctors
-- blame_both: Percent blaming both
-- other_answers: Any other answer option and its percent, e.g. would_resign 90
-- does_not_add_up: True when the answers cannot all be true (rule above)
-- add_up_problems: What does not add up, e.g. support + oppose = 102
-- disputed_answers: Answers whose mentions disagree, with every value given, e.g. oppose 25/26
-- outlets: Number of distinct outlets reporting this poll and question
-- mentions: Number of answer mentions
-- source_files: Files that report it
with estimates as (
    select * from core.figure_estimates
    where figure_type = 'poll'
),

polls as (
    select * from core.polls
),

answers as (
    select * from core.poll_answers
),

readable as (
    select
        *,
        regexp_replace(format('{:.1f}', best_value), '\.0$', '') as value_text,
        regexp_replace(format('{:.1f}', min_value), '\.0$', '') as min_text,
        regexp_replace(format('{:.1f}', max_value), '\.0$', '') as max_text
    from estimates
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
        string_agg(replace(measure, 'other:', '') || ' ' || value_text, '; ' order by measure)
            filter (where measure like 'other:%') as other_answers,
        string_agg(
            measure || ' ' || min_text || '/' || max_text || ' (best ' || value_text || ')',
            '; '
            order by measure
        ) filter (where distinct_values > 1) as disputed_answers
    from readable
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
                    when support_plus_oppose > 101
                        then 'support + oppose = ' || cast(support_plus_oppose as decimal(5, 1))
                end,
                case
                    when support_oppose_dont_know > 101
                        then 'support + oppose + dont_know = '
                            || cast(support_oppose_dont_know as decimal(5, 1))
                end,
                case
                    when strongly_support > support then 'strongly_support above support'
                end,
                case
                    when strongly_oppose > oppose then 'strongly_oppose above oppose'
                end,
                case
                    when blame_total > 101
                        then 'blame answers sum to ' || cast(blame_total as decimal(5, 1))
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
        checked.other_answers,
        len(checked.problems) > 0 as does_not_add_up,
        nullif(array_to_string(checked.problems, '; '), '') as add_up_problems,
        checked.disputed_answers,
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

-- Poll questions whose answers cannot all be true, e.g. support and oppose summing past 100 by
-- more than rounding (flagged in marts.support_by_poll).
with polls as (
    select * from {{ ref('support_by_poll') }}
),

final as (
    select poll_id, question, add_up_problems, support, oppose, dont_know, source_files
    from polls
    where does_not_add_up
)

select * from final

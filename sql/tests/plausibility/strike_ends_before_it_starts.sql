-- Strike actions a mention says end before they start (flagged in marts.strike_timeline).
with strikes as (
    select * from {{ ref('strike_timeline') }}
),

final as (
    select strike_id, staff_group, starts_at, ends_at, ends_reported, source_files
    from strikes
    where ends_before_start
)

select * from final

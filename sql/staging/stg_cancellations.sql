-- Cancellation figure mentions; period_end defaults to period_start for one-day figures.
with source as (
    select * from core.cancellations
),

final as (
    select
        fact_id,
        article_id,
        source_file,
        post_id,
        evidence,
        char_start,
        char_end,
        extractor_version,
        value,
        unit,
        qualifier,
        item,
        period_start,
        coalesce(period_end, period_start) as period_end,
        geography,
        cumulative
    from source
)

select * from final

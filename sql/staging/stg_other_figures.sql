-- Figures that are neither cancellations nor attendance (rally sizes, picket counts).
with source as (
    select * from core.other_figures
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
        label
    from source
)

select * from final

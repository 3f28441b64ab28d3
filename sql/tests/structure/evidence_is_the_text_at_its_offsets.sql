-- Provenance or nothing: every mention's evidence is exactly the raw text at its offsets.
with mentions as (
    select * from {{ ref('int_fact_mentions') }}
),

articles as (
    select article_id, document_id from {{ ref('stg_articles') }}
),

documents as (
    select document_id, text from {{ ref('stg_documents') }}
),

located as (
    select
        mentions.fact_id,
        mentions.fact_type,
        mentions.source_file,
        mentions.char_start,
        mentions.char_end,
        mentions.evidence,
        substring(
            documents.text, mentions.char_start + 1, mentions.char_end - mentions.char_start
        ) as text_at_offsets
    from mentions
    left join articles on mentions.article_id = articles.article_id
    left join documents on articles.document_id = documents.document_id
),

final as (
    select * from located
    where text_at_offsets is distinct from evidence
)

select * from final

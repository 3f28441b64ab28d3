-- Source files that decoded as text, without the text itself.
-- characters: Length of the decoded text in characters
with source as (
    select * from raw.documents
),

final as (
    select
        document_id,
        source_file,
        bytes,
        encoding,
        length(text) as characters
    from source
)

select * from final

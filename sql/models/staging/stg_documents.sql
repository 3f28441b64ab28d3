with source as (
    select * from {{ source('extracted', 'documents') }}
),

final as (
    select
        document_id,
        source_file,
        bytes as size_bytes,
        encoding,
        text,
        length(text) as characters
    from source
)

select * from final

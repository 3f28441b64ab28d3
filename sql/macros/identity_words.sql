{#
    The words that identify a name, for matching names across outlets: lower case, letters,
    digits and "&" only, without "the" and outlet suffixes ("the BBC" = "BBC News"); "?" for none.
#}
{% macro identity_words(column) -%}
    coalesce(
        nullif(
            array_to_string(
                list_filter(
                    regexp_extract_all(lower({{ column }}), '[a-z0-9&]+'),
                    lambda word: word not in ('the', 'news', 'online', 'newspaper')
                ),
                ' '
            ),
            ''
        ),
        '?'
    )
{%- endmacro %}

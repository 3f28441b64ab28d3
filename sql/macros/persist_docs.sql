{#
    Column comments (persist_docs) without asking the database for the relation's columns a
    second time: dbt's persist_docs has already kept only the documented columns the relation
    has. Otherwise as dbt-duckdb writes them.
#}
{% macro duckdb__alter_column_comment(relation, column_dict) %}
    {% for column_name, column in column_dict.items() %}
        {% set name = adapter.quote(column_name) if column['quote'] else column_name %}
        comment on column {{ relation }}.{{ name }} is {{ duckdb_escape_comment(column['description']) }};
    {% endfor %}
{% endmacro %}

{#
    Relations land in the schema their folder names (staging, intermediate, marts), not in
    "<target schema>_<folder>".
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}

{#
    Views refer to other relations by schema and name only, never by database (catalog): the
    catalog is named after the file, and the build file is renamed when it is published.
#}
{% macro ref() %}
    {% do return(builtins.ref(*varargs, **kwargs).include(database=false)) %}
{% endmacro %}

{% macro source() %}
    {% do return(builtins.source(*varargs, **kwargs).include(database=false)) %}
{% endmacro %}

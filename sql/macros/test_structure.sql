{#
    The structural checks of one table as one data test (one dbt node, not one per check):
      unique: [column or expression, ...]       no value twice (nulls aside)
      not_null: [column, ...]                   no null
      accepted_values: {column: [value, ...]}   no other value (nulls aside)
      relationships: {column: ref('parent')}    every value is the same-named column of parent
    Each failing row names its check, e.g. "unique(poll_id)", with the value and its rows.
#}
{% test structure(model, unique=[], not_null=[], accepted_values={}, relationships={}) %}

select
    cast(null as varchar) as failed_check,
    cast(null as varchar) as value,
    cast(0 as bigint) as n_records
where false

{% for column in unique %}
union all
select
    {{ _structure_check_name('unique', column) }},
    cast({{ column }} as varchar),
    count(*)
from {{ model }}
where {{ column }} is not null
group by {{ column }}
having count(*) > 1
{% endfor %}

{% for column in not_null %}
union all
select {{ _structure_check_name('not_null', column) }}, null, count(*)
from {{ model }}
where {{ column }} is null
having count(*) > 0
{% endfor %}

{% for column, values in accepted_values.items() %}
union all
select {{ _structure_check_name('accepted_values', column) }}, cast({{ column }} as varchar), count(*)
from {{ model }}
where {{ column }} not in (
    {%- for value in values %}'{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
)
group by {{ column }}
{% endfor %}

{% for column, parent in relationships.items() %}
union all
select
    {{ _structure_check_name('relationships', column ~ ' -> ' ~ parent.identifier ~ '.' ~ column) }},
    cast(child.{{ column }} as varchar),
    count(*)
from {{ model }} as child
where child.{{ column }} is not null
    and not exists (select 1 from {{ parent }} as parent where parent.{{ column }} = child.{{ column }})
group by child.{{ column }}
{% endfor %}

{% endtest %}


{% macro _structure_check_name(check, column) -%}
    '{{ check }}({{ column | replace("'", "''") }})'
{%- endmacro %}

{#
    Tables (the intermediate models) are rebuilt with one `create or replace table` inside the
    model's transaction, instead of dbt-duckdb's build under a temporary name, two renames and
    a drop of the old table after the commit: a reader sees the old table or the new one all
    the same, in a few statements fewer per model. A view of the model's name, left by an
    earlier version of the project, is dropped first.
#}
{% materialization table, adapter="duckdb", supported_languages=['sql'] %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% if existing_relation is not none and not existing_relation.is_table %}
    {{ drop_relation_if_exists(existing_relation) }}
  {% endif %}
  {% call statement('main') -%}
    create or replace table {{ target_relation }} as (
      {{ compiled_code }}
    );
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target_relation, model) %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- Described in macros/_macros.yml, shown on the docs site. -#}
{% macro declared_columns(relation) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- for node in graph.sources.values()
        if node.identifier | lower == relation.identifier | lower
        and node.schema | lower == relation.schema | lower -%}
        {{ return(node.columns.keys() | map('lower') | list) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error('No source declares the table ' ~ relation) }}
{% endmacro %}


{% macro landed_columns_query(relation) %}
    {{ return(adapter.dispatch('landed_columns_query', 'patreon_analytics')(relation)) }}
{% endmacro %}

{% macro default__landed_columns_query(relation, information_schema=none) %}
    select lower(column_name) as column_name
    from {{ information_schema or relation.information_schema() }}.columns
    where
        lower(table_catalog) = lower('{{ relation.database }}')
        and lower(table_schema) = lower('{{ relation.schema }}')
        and lower(table_name) = lower('{{ relation.identifier }}')
{% endmacro %}

{#- DuckDB's information_schema spans every attached catalog (filtered on table_catalog). -#}
{% macro duckdb__landed_columns_query(relation) %}
    {{ return(patreon_analytics.default__landed_columns_query(relation, 'information_schema')) }}
{% endmacro %}

{#- dbt-databricks would otherwise dispatch to spark__. -#}
{% macro databricks__landed_columns_query(relation) %}
    {{ return(patreon_analytics.default__landed_columns_query(relation)) }}
{% endmacro %}

{% macro spark__landed_columns_query(relation) %}
    {%- set columns = adapter.get_columns_in_relation(relation) if execute else [] -%}
    {%- for column in columns %}
    select lower('{{ column.name }}') as column_name
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select cast(null as string) as column_name
    where 1 = 0
    {%- endfor %}
{% endmacro %}

{#- Described in macros/_macros.yml, shown on the docs site. -#}
{% macro month_start(timestamp_column) -%}
    cast({{ dbt.date_trunc('month', timestamp_column) }} as date)
{%- endmacro %}

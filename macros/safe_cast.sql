{#-
    dbt-core's safe_cast is a plain cast on DuckDB, Spark and Databricks, so one malformed
    value would fail a whole view. try_cast returns NULL instead; the raw contract's
    is_castable checks (data-tests/generic/test_is_castable.sql) name the rows that did not
    cast. On a column that already has the type, try_cast is a no-op the engines drop.
-#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

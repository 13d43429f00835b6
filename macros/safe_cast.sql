{#-
    dbt-core's safe_cast is a plain cast on DuckDB, Spark and Databricks, so one malformed
    value would fail a whole view. try_cast returns NULL instead; data tests on the raw
    seeds (data-tests/generic/test_is_castable.sql) name the rows that did not cast.
-#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

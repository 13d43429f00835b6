{#-
    Whether a text expression contains a match of a regular expression (true/false; NULL for
    NULL). dbt has no cross-database macro for it. Keep patterns free of backslashes (use
    [.] and [0-9]): Spark SQL string literals treat a backslash as an escape.
-#}
{% macro regexp_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches', 'patreon_analytics')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_matches(expression, pattern) -%}
    {{ expression }} rlike '{{ pattern }}'
{%- endmacro %}

{% macro duckdb__regexp_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

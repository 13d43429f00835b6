{#-
    Every target writes to the same schema names (analytics_raw, analytics_staging,
    analytics_marts, ...): environments are separated by catalog (patreon_dev / patreon_prod,
    or the DuckDB file), not by schema prefixes.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

{#- Described in macros/_macros.yml, shown on the docs site. -#}
{% macro money_type() -%}
    decimal(18,2)
{%- endmacro %}

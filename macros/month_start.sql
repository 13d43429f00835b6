{#- First day of the month of a timestamp, as a date (the grain of every monthly field). -#}
{% macro month_start(timestamp_column) -%}
    cast({{ dbt.date_trunc('month', timestamp_column) }} as date)
{%- endmacro %}

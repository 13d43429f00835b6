{#- Conventions of the mart, written once so every key, rate and band follows them. -#}

{% macro creator_month_id(creator_id, month_start_date) -%}
    concat({{ creator_id }}, '|', cast({{ month_start_date }} as string))
{%- endmacro %}


{% macro safe_percentage(numerator, denominator) -%}
    {#- NULL rather than 0 when there is nothing to divide by: "no attempts" is not
        "0% collected". -#}
    cast(round(100.0 * ({{ numerator }}) / nullif({{ denominator }}, 0), 2) as decimal(12, 2))
{%- endmacro %}


{% macro health_status(rate, warning_threshold, critical_threshold, higher_is_better=false) -%}
    {#- Both band edges belong to 'warning' (README: churn 5-10, collection 90-95,
        decline 10-15). -#}
    case
        when {{ rate }} is null then null
    {%- if higher_is_better %}
        when {{ rate }} > {{ warning_threshold }} then 'healthy'
        when {{ rate }} < {{ critical_threshold }} then 'critical'
    {%- else %}
        when {{ rate }} < {{ warning_threshold }} then 'healthy'
        when {{ rate }} > {{ critical_threshold }} then 'critical'
    {%- endif %}
        else 'warning'
    end
{%- endmacro %}

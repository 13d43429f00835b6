{#- Described in macros/_macros.yml, shown on the docs site. -#}
{% macro whole_months_between(start_date, end_date) -%}
    (
        {{ dbt.datediff(start_date, end_date, 'month') }}
        - case
            when {{ dbt.dateadd('month', dbt.datediff(start_date, end_date, 'month'), start_date) }}
                > {{ end_date }}
                then 1
            else 0
        end
    )
{%- endmacro %}

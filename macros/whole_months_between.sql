{#-
    Completed calendar months from start_date to end_date, both dates (an age in months:
    2024-01-31 -> 2024-02-29 is 1, 2024-01-15 -> 2024-02-14 is 0). dbt.datediff counts month
    boundaries crossed; one is taken back when adding that many months to the start overshoots
    the end. Built only from dbt's cross-database macros, so it is the same on every engine.
-#}
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

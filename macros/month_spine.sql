{#- Described in macros/_macros.yml, shown on the docs site. -#}
{% macro integer_sequence(n_digits=3) -%}
    select
        {% for position in range(n_digits) -%}
        digits_{{ position }}.digit * {{ 10 ** position }}{{ ' +' if not loop.last }}
        {% endfor -%}
        as sequence_number
    from {{ _digits() }} as digits_0
    {%- for position in range(1, n_digits) %}
    cross join {{ _digits() }} as digits_{{ position }}
    {%- endfor %}
{%- endmacro %}


{% macro _digits() -%}
    (
        {%- for digit in range(10) %}
        select {{ digit }} as digit{{ ' union all' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{% macro month_spine(entities, entity_key, first_month_column, last_month_column, n_digits=3) -%}
    {%- set offset_month_start = dbt.dateadd(
        'month',
        'month_offsets.sequence_number',
        'calendar_bounds.first_month_start_date',
    ) -%}
    select
        {{ entities }}.{{ entity_key }},
        calendar_months.month_start_date
    from {{ entities }}
    inner join (
        select cast({{ offset_month_start }} as date) as month_start_date
        from (
            select
                min({{ first_month_column }}) as first_month_start_date,
                max({{ last_month_column }}) as last_month_start_date
            from {{ entities }}
        ) as calendar_bounds
        cross join ({{ integer_sequence(n_digits) }}) as month_offsets
        where {{ offset_month_start }} <= calendar_bounds.last_month_start_date
    ) as calendar_months
        on
            calendar_months.month_start_date >= {{ entities }}.{{ first_month_column }}
            and calendar_months.month_start_date <= {{ entities }}.{{ last_month_column }}
{%- endmacro %}

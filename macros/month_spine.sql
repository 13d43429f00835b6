{#-
    A gap-free month spine per entity, built from a cross join of digit lists rather than an
    engine's series generator (generate_series, explode(sequence())), so the same SQL runs on
    DuckDB, Spark and Databricks.
-#}
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
    {#- 3 digits cover 1,000 months (83 years); a longer span would lose months, which the
        mart's gap-free test would report. -#}
    {%- set offset_month_start = dbt.dateadd(
        'month',
        'month_offsets.sequence_number',
        entities ~ '.' ~ first_month_column,
    ) -%}
    select
        {{ entities }}.{{ entity_key }},
        cast(
            {{ offset_month_start }}
            as date
        ) as month_start_date
    from {{ entities }}
    cross join ({{ integer_sequence(n_digits) }}) as month_offsets
    where
        {{ offset_month_start }}
        <= {{ entities }}.{{ last_month_column }}
{%- endmacro %}

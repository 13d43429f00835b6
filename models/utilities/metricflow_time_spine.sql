{#-
    Grain: one row per calendar day. MetricFlow joins metrics to this table for day-level
    time dimensions. Day offsets come from integer_sequence (cross-joined digits), so no
    engine's own series function is needed; the day count is computed here rather than by
    dbt.date_spine, which queries the warehouse at compile time and so breaks
    `dbt compile` without a connection.
-#}

{%- set start_date = modules.datetime.date.fromisoformat(var('time_spine_start_date')) -%}
{%- set end_date = modules.datetime.date.fromisoformat(var('time_spine_end_date')) -%}
{%- set n_days = (end_date - start_date).days -%}
{%- set first_day = "cast('" ~ start_date ~ "' as date)" %}

with

day_offsets as (
    {{ integer_sequence(n_digits=(n_days | string | length)) }}
),

final as (
    select
        cast(
            {{ dbt.dateadd('day', 'day_offsets.sequence_number', first_day) }}
            as date
        ) as date_day
    from day_offsets
    where day_offsets.sequence_number < {{ n_days }}
)

select * from final

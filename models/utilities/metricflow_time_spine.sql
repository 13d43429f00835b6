{#-
    Grain: one row per calendar day. MetricFlow joins metrics to this table for day-level
    time dimensions; dbt.date_spine builds it from cross-joined integers, so no engine's
    own series function is needed.
-#}

with

days as (
    {{ dbt.date_spine(
        datepart='day',
        start_date="cast('" ~ var('time_spine_start_date') ~ "' as date)",
        end_date="cast('" ~ var('time_spine_end_date') ~ "' as date)",
    ) }}
),

final as (
    select cast(days.date_day as date) as date_day
    from days
)

select * from final

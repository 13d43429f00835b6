-- Creators per health band and complete month, one column per health metric. Every band
-- has a row in every month (zero when no creator is in it), so stacked charts line up.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
    where is_complete_month
),

months as (
    select distinct month_start_date
    from performance
),

bands as (
    select
        'healthy' as health_band,
        1 as band_order
    union all
    select
        'warning' as health_band,
        2 as band_order
    union all
    select
        'critical' as health_band,
        3 as band_order
),

final as (
    select
        months.month_start_date,
        bands.health_band,
        bands.band_order,
        count(case when performance.churn_health = bands.health_band then 1 end)
            as churn_creators,
        count(case when performance.collection_health = bands.health_band then 1 end)
            as collection_creators,
        count(case when performance.decline_health = bands.health_band then 1 end)
            as decline_creators
    from months
    cross join bands
    left join performance
        on months.month_start_date = performance.month_start_date
    group by 1, 2, 3
)

select * from final
order by 1, 3

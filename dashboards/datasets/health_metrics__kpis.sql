-- Payment and patron health in the latest complete month: the platform's decline rate and
-- the share of creators in the healthy band of each health metric (creators whose rate is
-- NULL have no band and are left out of the shares).
with

platform as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'platform'
),

final as (
    select
        platform.month_start_date,
        platform.decline_rate_pct,
        platform.churn_healthy_creators_pct,
        platform.collection_healthy_creators_pct,
        platform.decline_healthy_creators_pct,
        platform.critical_creators
    from platform
    where platform.is_latest_complete_month
)

select * from final

-- Payment and patron health in the latest complete month: the platform's decline rate and
-- the share of creators in the healthy band of each health metric. Creators whose rate is
-- NULL (no patrons, no payment attempts) have no band and are left out of the shares.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

latest as (
    select performance.*
    from performance
    where performance.is_latest_complete_month
),

final as (
    select
        month_start_date,
        round(
            100.0 * sum(failed_transactions)
            / nullif(sum(successful_transactions) + sum(failed_transactions), 0),
            2
        ) as decline_rate_pct,
        round(
            100.0 * count(case when churn_health = 'healthy' then 1 end)
            / nullif(count(churn_health), 0),
            2
        ) as churn_healthy_creators_pct,
        round(
            100.0 * count(case when collection_health = 'healthy' then 1 end)
            / nullif(count(collection_health), 0),
            2
        ) as collection_healthy_creators_pct,
        round(
            100.0 * count(case when decline_health = 'healthy' then 1 end)
            / nullif(count(decline_health), 0),
            2
        ) as decline_healthy_creators_pct,
        count(
            case
                when
                    churn_health = 'critical'
                    or collection_health = 'critical'
                    or decline_health = 'critical'
                    then 1
            end
        ) as critical_creators
    from latest
    group by 1
)

select * from final

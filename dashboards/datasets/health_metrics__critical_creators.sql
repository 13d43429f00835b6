-- Creators in the critical band of any health metric in the latest complete month, the
-- largest (by gross MRR) first.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

final as (
    select
        performance.creator_id,
        performance.creator_name,
        performance.creator_category,
        performance.gross_mrr_usd,
        performance.patron_churn_rate_pct,
        performance.churn_health,
        performance.collection_rate_pct,
        performance.collection_health,
        performance.decline_rate_pct,
        performance.decline_health
    from performance
    where
        performance.is_latest_complete_month
        and (
            performance.churn_health = 'critical'
            or performance.collection_health = 'critical'
            or performance.decline_health = 'critical'
        )
)

select * from final
order by 4 desc, 1
limit 25

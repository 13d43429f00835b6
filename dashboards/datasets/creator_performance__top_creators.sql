-- The 10 creators with the highest gross MRR in the latest complete month.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

final as (
    select
        performance.creator_id,
        performance.creator_name,
        performance.creator_category,
        performance.plan_type,
        performance.gross_mrr_usd,
        performance.mrr_growth_rate_pct,
        performance.active_patrons,
        performance.gross_revenue_usd,
        performance.net_creator_earnings_usd,
        performance.patron_engagement_rate_pct,
        performance.month_start_date
    from performance
    where performance.is_latest_complete_month
)

select * from final
-- creator_id breaks ties, so the ten are the same on every engine.
order by 5 desc, 1
limit 10

-- Platform totals in the latest complete month (the as-of month is still in progress).
-- Pooled rates come computed from analytics_marts.fct_segment_monthly_performance.
with

platform as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'platform'
),

final as (
    select
        platform.month_start_date,
        platform.gross_mrr_usd,
        -- A sum of per-creator counts: a patron who backs two creators counts twice.
        platform.active_patrons,
        platform.active_creators,
        platform.gross_revenue_usd,
        platform.platform_fees_usd,
        platform.net_creator_earnings_usd,
        platform.platform_take_rate_pct
    from platform
    where platform.is_latest_complete_month
)

select * from final

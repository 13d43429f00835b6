-- Platform take rate by plan type
SELECT
    plan_type,
    ROUND(SUM(gross_revenue_usd), 2) as gross_revenue,
    ROUND(SUM(platform_fees_usd), 2) as platform_fees,
    ROUND(SUM(platform_fees_usd) / SUM(gross_revenue_usd) * 100, 2) as take_rate_pct
FROM patreon_dev.analytics_marts.fct_creator_monthly_performance
GROUP BY plan_type;

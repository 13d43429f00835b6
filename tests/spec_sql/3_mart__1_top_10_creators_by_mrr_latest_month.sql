-- Top 10 creators by MRR (latest month)
SELECT
    creator_name,
    creator_category,
    plan_type,
    gross_mrr_usd,
    active_patrons,
    patron_engagement_rate_pct
FROM patreon_dev.analytics_marts.fct_creator_monthly_performance
WHERE month_start_date = (
    SELECT MAX(month_start_date)
    FROM patreon_dev.analytics_marts.fct_creator_monthly_performance
)
ORDER BY gross_mrr_usd DESC
LIMIT 10;

-- Monthly platform trends
SELECT
    month_start_date,
    SUM(gross_revenue_usd) as total_revenue,
    SUM(platform_fees_usd) as total_platform_fees,
    SUM(active_patrons) as total_patrons,
    COUNT(DISTINCT creator_id) as active_creators
FROM patreon_dev.analytics_marts.fct_creator_monthly_performance
GROUP BY month_start_date
ORDER BY month_start_date;

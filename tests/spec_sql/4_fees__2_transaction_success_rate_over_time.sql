-- Transaction success rate over time
SELECT
    month_start_date,
    SUM(successful_transactions) as successful,
    SUM(failed_transactions) as failed,
    ROUND(SUM(successful_transactions) * 100.0 /
          NULLIF(SUM(successful_transactions) + SUM(failed_transactions), 0), 2) as success_rate_pct
FROM patreon_dev.analytics_marts.fct_creator_monthly_performance
GROUP BY month_start_date
ORDER BY month_start_date;

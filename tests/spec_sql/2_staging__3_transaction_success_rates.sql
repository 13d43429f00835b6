-- Transaction success rates
SELECT
    transaction_status,
    COUNT(*) as tx_count,
    ROUND(SUM(gross_amount_usd), 2) as total_amount
FROM patreon_dev.analytics_staging.stg_transactions
GROUP BY transaction_status;

-- Check transaction amount consistency
SELECT
    transaction_id,
    gross_amount_usd,
    platform_fee_usd + processing_fee_usd + net_amount_usd as calculated_gross,
    gross_amount_usd - (platform_fee_usd + processing_fee_usd + net_amount_usd) as discrepancy
FROM patreon_dev.analytics_staging.stg_transactions
WHERE ABS(gross_amount_usd - (platform_fee_usd + processing_fee_usd + net_amount_usd)) > 0.01;

-- Fees are a share of the gross amount: each rate lies between 0 % and 100 %.
{{ dbt_utils.test_expression_is_true(
    model=ref('patreon_analytics', 'stg_transactions'),
    expression="platform_fee_rate_pct between 0 and 100"
        ~ " and processing_fee_rate_pct between 0 and 100"
) }}

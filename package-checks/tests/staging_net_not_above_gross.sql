-- The creator's payout never exceeds what the patron was charged.
{{ dbt_utils.test_expression_is_true(
    model=ref('patreon_analytics', 'stg_transactions'),
    expression="net_amount_usd <= gross_amount_usd"
) }}

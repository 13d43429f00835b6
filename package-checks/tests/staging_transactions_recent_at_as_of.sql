-- Recency relative to the reference instant: the latest transaction is no later than the
-- reference instant and no more than 31 days before it. Monthly pledges charge every month,
-- so a month without a single transaction means the feed stopped.
{{ dbt_expectations.test_expect_column_max_to_be_between(
    model=ref('patreon_analytics', 'stg_transactions'),
    column_name='transaction_at',
    min_value=dbt.dateadd('day', -31, as_of_timestamp()),
    max_value=as_of_timestamp()
) }}

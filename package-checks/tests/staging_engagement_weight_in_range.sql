-- Engagement weights run from 0 (unlike) to 7 (share).
{{ dbt_expectations.test_expect_column_values_to_be_between(
    model=ref('patreon_analytics', 'stg_engagement_events'),
    column_name='engagement_weight',
    min_value=0,
    max_value=7
) }}

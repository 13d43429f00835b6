-- Every tier has a strictly positive monthly price.
{{ dbt_utils.test_accepted_range(
    model=ref('patreon_analytics', 'stg_tiers'),
    column_name='price_usd',
    min_value=0,
    inclusive=false
) }}

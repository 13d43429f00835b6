-- A pledge always charges something: its monthly amount is strictly positive.
{{ dbt_utils.test_accepted_range(
    model=ref('patreon_analytics', 'stg_pledges'),
    column_name='pledge_amount_usd',
    min_value=0,
    inclusive=false
) }}

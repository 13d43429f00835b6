-- Post ids are `po_` followed by digits; anything else is a mis-keyed load.
{{ dbt_expectations.test_expect_column_values_to_match_regex(
    model=ref('patreon_analytics', 'stg_posts'),
    column_name='post_id',
    regex='^po_[0-9]+$'
) }}

-- Staging filters nothing: one stg_posts row per raw row.
{{ dbt_expectations.test_expect_table_row_count_to_equal_other_table(
    model=ref('patreon_analytics', 'stg_posts'),
    compare_model=source('raw', 'posts')
) }}

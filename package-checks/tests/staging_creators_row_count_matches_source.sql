-- Staging filters nothing: one stg_creators row per raw row.
{{ dbt_expectations.test_expect_table_row_count_to_equal_other_table(
    model=ref('patreon_analytics', 'stg_creators'),
    compare_model=source('raw', 'creators')
) }}

-- Row-count band: a platform has at least one creator, and a creator table past a million
-- rows means a join fan-out or a runaway load upstream, not growth.
{{ dbt_expectations.test_expect_table_row_count_to_be_between(
    model=ref('patreon_analytics', 'stg_creators'),
    min_value=1,
    max_value=1000000
) }}

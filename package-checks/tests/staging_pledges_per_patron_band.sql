-- Row-count band relative to the patron base: between 1 and 10 pledges per patron on
-- average. Outside it, patrons or pledges were loaded incompletely or duplicated.
{{ dbt_expectations.test_expect_table_row_count_to_be_between(
    model=ref('patreon_analytics', 'stg_pledges'),
    min_value='(select count(*) from ' ~ ref('patreon_analytics', 'stg_patrons') ~ ')',
    max_value='(select 10 * count(*) from ' ~ ref('patreon_analytics', 'stg_patrons') ~ ')'
) }}

-- One row per creator per month from the creator's first month through the as-of month:
-- the first and last months must be right and the row count must equal the months between
-- (with uniqueness tested separately, that leaves no room for a gap).
with

creators as (
    select * from {{ ref('stg_creators') }}
),

transactions as (
    select * from {{ ref('stg_transactions') }}
),

as_of_month as (
    {{- as_of_month_query('transactions') }}
),

expected as (
    select
        creators.creator_id,
        {{ month_start('creators.created_at') }} as first_month_start_date,
        as_of_month.month_start_date as last_month_start_date
    from creators
    cross join as_of_month
),

actual as (
    select
        creator_id,
        min(month_start_date) as first_month_start_date,
        max(month_start_date) as last_month_start_date,
        count(*) as months
    from {{ ref('fct_creator_monthly_performance') }}
    group by 1
),

compared as (
    select
        expected.creator_id,
        expected.first_month_start_date as expected_first_month,
        actual.first_month_start_date as actual_first_month,
        expected.last_month_start_date as expected_last_month,
        actual.last_month_start_date as actual_last_month,
        {{ dbt.datediff(
            'expected.first_month_start_date',
            'expected.last_month_start_date',
            'month',
        ) }} + 1 as expected_months,
        actual.months as actual_months
    from expected
    left join actual
        on expected.creator_id = actual.creator_id
)

select *
from compared
where
    actual_months is null
    or actual_first_month <> expected_first_month
    or actual_last_month <> expected_last_month
    or actual_months <> expected_months

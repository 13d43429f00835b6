-- One row per creator, cohort month and month since start: of the patrons whose first
-- pledge to the creator started in the cohort month, how many are active with the creator
-- at the end of each later month and what MRR they bring it (docs block patron_cohorts).

with

cohort_members as (
    select * from {{ ref('int_memberships_assigned_to_cohorts') }}
),

memberships as (
    select * from {{ ref('int_memberships_aggregated_to_months') }}
),

spine as (
    select * from {{ ref('int_creators_spined_to_months') }}
),

as_of_month as (
    select max(spine.month_start_date) as month_start_date
    from spine
),

cohorts as (
    select
        cohort_members.creator_id,
        cohort_members.creator_cohort_month_start_date as cohort_month_start_date,
        count(*) as cohort_patrons
    from cohort_members
    group by 1, 2
),

-- Every month of the creator's spine from the cohort's month on: a month in which nobody
-- of the cohort is left is a row of zeros, not a missing row.
cohort_months as (
    select
        cohorts.creator_id,
        cohorts.cohort_month_start_date,
        cohorts.cohort_patrons,
        spine.month_start_date
    from cohorts
    inner join spine
        on
            cohorts.creator_id = spine.creator_id
            and spine.month_start_date >= cohorts.cohort_month_start_date
),

cohort_activity as (
    select
        cohort_members.creator_id,
        cohort_members.creator_cohort_month_start_date as cohort_month_start_date,
        memberships.month_start_date,
        count(case when memberships.is_active_at_month_end then 1 end) as active_patrons,
        cast(sum(memberships.gross_mrr_usd) as {{ money_type() }}) as mrr_usd
    from memberships
    inner join cohort_members
        on
            memberships.creator_id = cohort_members.creator_id
            and memberships.patron_id = cohort_members.patron_id
    group by 1, 2, 3
),

cohort_cells as (
    select
        cohort_months.creator_id,
        cohort_months.cohort_month_start_date,
        cohort_months.month_start_date,
        cohort_months.cohort_patrons,
        coalesce(cohort_activity.active_patrons, 0) as active_patrons,
        coalesce(cohort_activity.mrr_usd, 0) as mrr_usd
    from cohort_months
    left join cohort_activity
        on
            cohort_months.creator_id = cohort_activity.creator_id
            and cohort_months.cohort_month_start_date = cohort_activity.cohort_month_start_date
            and cohort_months.month_start_date = cohort_activity.month_start_date
),

-- Net revenue retention compares each month's MRR with the cohort's MRR at the end of its
-- first month.
starting_mrr as (
    select
        cohort_cells.creator_id,
        cohort_cells.cohort_month_start_date,
        cohort_cells.mrr_usd as starting_mrr_usd
    from cohort_cells
    where cohort_cells.month_start_date = cohort_cells.cohort_month_start_date
),

final as (
    select
        cohort_cells.creator_id,
        cohort_cells.cohort_month_start_date,
        cast(
            {{ dbt.datediff(
                'cohort_cells.cohort_month_start_date', 'cohort_cells.month_start_date', 'month'
            ) }} as {{ dbt.type_int() }}
        ) as months_since_start,
        cohort_cells.month_start_date,
        -- The as-of month is still in progress: its pledges can still start, pause or end.
        cohort_cells.month_start_date < as_of_month.month_start_date as is_complete_month,
        cohort_cells.cohort_patrons,
        cohort_cells.active_patrons,
        cohort_cells.mrr_usd,
        starting_mrr.starting_mrr_usd,
        {{ safe_percentage('cohort_cells.active_patrons', 'cohort_cells.cohort_patrons') }}
            as patron_retention_pct,
        {{ safe_percentage('cohort_cells.mrr_usd', 'starting_mrr.starting_mrr_usd') }}
            as net_revenue_retention_pct
    from cohort_cells
    inner join starting_mrr
        on
            cohort_cells.creator_id = starting_mrr.creator_id
            and cohort_cells.cohort_month_start_date = starting_mrr.cohort_month_start_date
    cross join as_of_month
)

select * from final

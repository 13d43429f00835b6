-- One row per cohort month and month since start, platform-wide: of the patrons whose first
-- pledge to any creator started in the cohort month, how many are active with at least one
-- creator at the end of each later month and what MRR they bring all creators together
-- (docs block patron_cohorts).

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

-- Every creator's spine is gap-free and ends at the as-of month, so together they hold
-- every calendar month from the first creator's on.
calendar_months as (
    select distinct spine.month_start_date
    from spine
),

as_of_month as (
    select max(calendar_months.month_start_date) as month_start_date
    from calendar_months
),

patron_starts as (
    select distinct
        cohort_members.patron_id,
        cohort_members.platform_cohort_month_start_date as cohort_month_start_date
    from cohort_members
),

cohorts as (
    select
        patron_starts.cohort_month_start_date,
        count(*) as cohort_patrons
    from patron_starts
    group by 1
),

cohort_months as (
    select
        cohorts.cohort_month_start_date,
        cohorts.cohort_patrons,
        calendar_months.month_start_date
    from cohorts
    inner join calendar_months
        on calendar_months.month_start_date >= cohorts.cohort_month_start_date
),

-- A patron active with two creators is one active patron; their MRR is both creators'.
cohort_activity as (
    select
        patron_starts.cohort_month_start_date,
        memberships.month_start_date,
        count(distinct case when memberships.is_active_at_month_end then memberships.patron_id end)
            as active_patrons,
        cast(sum(memberships.gross_mrr_usd) as {{ money_type() }}) as mrr_usd
    from memberships
    inner join patron_starts
        on memberships.patron_id = patron_starts.patron_id
    group by 1, 2
),

cohort_cells as (
    select
        cohort_months.cohort_month_start_date,
        cohort_months.month_start_date,
        cohort_months.cohort_patrons,
        coalesce(cohort_activity.active_patrons, 0) as active_patrons,
        coalesce(cohort_activity.mrr_usd, 0) as mrr_usd
    from cohort_months
    left join cohort_activity
        on
            cohort_months.cohort_month_start_date = cohort_activity.cohort_month_start_date
            and cohort_months.month_start_date = cohort_activity.month_start_date
),

starting_mrr as (
    select
        cohort_cells.cohort_month_start_date,
        cohort_cells.mrr_usd as starting_mrr_usd
    from cohort_cells
    where cohort_cells.month_start_date = cohort_cells.cohort_month_start_date
),

final as (
    select
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
        on cohort_cells.cohort_month_start_date = starting_mrr.cohort_month_start_date
    cross join as_of_month
)

select * from final

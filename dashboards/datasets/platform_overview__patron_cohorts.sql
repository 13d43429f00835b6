-- Platform patron cohorts of the 24 latest complete months: retention and net revenue
-- retention by cohort and months since start, complete months only (the month in progress
-- is left out, so each cohort ends at the latest complete month).
with

cohorts as (
    select * from analytics_marts.fct_patron_cohorts
    where is_complete_month
),

latest_month as (
    select bridge.month_start_date
    from analytics_marts.fct_platform_mrr_bridge as bridge
    where bridge.is_latest_complete_month
),

-- A cohort is recent when it is at most 23 months old in the latest complete month.
recent_cohorts as (
    select cohorts.cohort_month_start_date
    from cohorts
    inner join latest_month
        on cohorts.month_start_date = latest_month.month_start_date
    where cohorts.months_since_start < 24
),

final as (
    select
        cohorts.cohort_month_start_date,
        cohorts.months_since_start,
        cohorts.month_start_date,
        cohorts.cohort_patrons,
        cohorts.active_patrons,
        cohorts.patron_retention_pct,
        cohorts.net_revenue_retention_pct
    from cohorts
    inner join recent_cohorts
        on cohorts.cohort_month_start_date = recent_cohorts.cohort_month_start_date
)

select * from final
order by 1, 2

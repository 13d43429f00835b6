-- mrr_change_usd must be this month's MRR minus the previous calendar month's (0 before the
-- first month). The model takes the previous month's MRR from the month's opening state;
-- this recomputes it from the previous stored row (a self-join on the calendar month), so a
-- wrong opening state, a gap in the spine or a stale row left by an incremental run shows up.
with

mart as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

compared as (
    select
        mart.creator_id,
        mart.month_start_date,
        mart.gross_mrr_usd,
        coalesce(previous_month.gross_mrr_usd, 0) as previous_gross_mrr_usd,
        mart.mrr_change_usd
    from mart
    left join mart as previous_month
        on
            mart.creator_id = previous_month.creator_id
            and previous_month.month_start_date
            = cast({{ dbt.dateadd('month', -1, 'mart.month_start_date') }} as date)
)

select *
from compared
where mrr_change_usd <> gross_mrr_usd - previous_gross_mrr_usd

-- The creators' MRR bridge closes each month at the monthly mart's gross MRR and opens at
-- the previous calendar month's closing (0 before the first month): recomputed from the
-- previous stored row (a self-join on the calendar month), not from the bridge's opening.
with

bridge as (
    select * from {{ ref('fct_creator_mrr_bridge') }}
),

mart as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

compared as (
    select
        bridge.creator_id,
        bridge.month_start_date,
        bridge.opening_mrr_usd,
        coalesce(previous_month.closing_mrr_usd, 0) as previous_closing_mrr_usd,
        bridge.closing_mrr_usd,
        mart.gross_mrr_usd
    from bridge
    left join bridge as previous_month
        on
            bridge.creator_id = previous_month.creator_id
            and previous_month.month_start_date
            = cast({{ dbt.dateadd('month', -1, 'bridge.month_start_date') }} as date)
    left join mart
        on
            bridge.creator_id = mart.creator_id
            and bridge.month_start_date = mart.month_start_date
)

select *
from compared
where
    opening_mrr_usd <> previous_closing_mrr_usd
    or gross_mrr_usd is null
    or closing_mrr_usd <> gross_mrr_usd

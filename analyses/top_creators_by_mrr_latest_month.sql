-- Top 10 creators by gross MRR in the latest complete month.
with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

-- The latest complete month: the as-of month is still in progress (pending payments).
latest_month as (
    select max(month_start_date) as month_start_date
    from performance
    where is_complete_month
),

final as (
    select
        performance.creator_name,
        performance.creator_category,
        performance.plan_type,
        performance.gross_mrr_usd,
        performance.active_patrons,
        performance.patron_engagement_rate_pct
    from performance
    inner join latest_month
        on performance.month_start_date = latest_month.month_start_date
)

select * from final
order by 4 desc
limit 10

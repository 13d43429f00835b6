-- Top 10 creators by gross MRR in the latest complete month.
with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

final as (
    select
        performance.creator_id,
        performance.creator_name,
        performance.creator_category,
        performance.plan_type,
        performance.gross_mrr_usd,
        performance.active_patrons,
        performance.patron_engagement_rate_pct
    from performance
    where performance.is_latest_complete_month
)

select * from final
order by 5 desc, 1
limit 10

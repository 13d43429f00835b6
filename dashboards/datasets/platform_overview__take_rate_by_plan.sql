-- Revenue, platform fees and take rate by creator plan in the latest complete month.
with

plans as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'plan_type'
),

final as (
    select
        plans.segment as plan_type,
        plans.creators,
        plans.gross_revenue_usd,
        plans.platform_fees_usd,
        plans.platform_take_rate_pct
    from plans
    where plans.is_latest_complete_month
)

select * from final
order by 1

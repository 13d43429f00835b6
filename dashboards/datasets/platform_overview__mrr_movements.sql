-- The platform's MRR movements per complete month (what moved MRR, month by month).
with

bridge as (
    select * from analytics_marts.fct_platform_mrr_bridge
    where is_complete_month
),

final as (
    select
        bridge.month_start_date,
        bridge.new_business_mrr_usd,
        bridge.expansion_mrr_usd,
        bridge.reactivation_mrr_usd,
        bridge.contraction_mrr_usd,
        bridge.churn_mrr_usd
    from bridge
)

select * from final
order by 1

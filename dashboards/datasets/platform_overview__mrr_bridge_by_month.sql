-- The platform's MRR bridge in each of the 12 latest complete months, latest first.
with

bridge as (
    select * from analytics_marts.fct_platform_mrr_bridge
    where is_complete_month
),

final as (
    select
        bridge.month_start_date,
        bridge.opening_mrr_usd,
        bridge.new_business_mrr_usd,
        bridge.expansion_mrr_usd,
        bridge.reactivation_mrr_usd,
        bridge.contraction_mrr_usd,
        bridge.churn_mrr_usd,
        bridge.closing_mrr_usd
    from bridge
)

select * from final
order by 1 desc
limit 12

-- The platform's MRR bridge in the latest complete month as waterfall steps: the opening
-- MRR, then each movement (contraction and churn negative); the steps add up to the
-- month's closing MRR. Labels are numbered so that every chart keeps this order.
with

bridge as (
    select * from analytics_marts.fct_platform_mrr_bridge
    where is_latest_complete_month
),

steps as (
    select
        bridge.month_start_date,
        '1 Opening MRR' as bridge_step,
        bridge.opening_mrr_usd as amount_usd
    from bridge
    union all
    select
        bridge.month_start_date,
        '2 New business' as bridge_step,
        bridge.new_business_mrr_usd as amount_usd
    from bridge
    union all
    select
        bridge.month_start_date,
        '3 Expansion' as bridge_step,
        bridge.expansion_mrr_usd as amount_usd
    from bridge
    union all
    select
        bridge.month_start_date,
        '4 Reactivation' as bridge_step,
        bridge.reactivation_mrr_usd as amount_usd
    from bridge
    union all
    select
        bridge.month_start_date,
        '5 Contraction' as bridge_step,
        -bridge.contraction_mrr_usd as amount_usd
    from bridge
    union all
    select
        bridge.month_start_date,
        '6 Churn' as bridge_step,
        -bridge.churn_mrr_usd as amount_usd
    from bridge
)

select * from steps
order by 2

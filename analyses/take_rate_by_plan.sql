-- Platform take rate (platform fees as a share of gross revenue) by creator plan.
with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

final as (
    select
        plan_type,
        round(sum(gross_revenue_usd), 2) as gross_revenue,
        round(sum(platform_fees_usd), 2) as platform_fees,
        round(sum(platform_fees_usd) * 100.0 / nullif(sum(gross_revenue_usd), 0), 2)
            as take_rate_pct
    from performance
    group by 1
)

select * from final
order by 4 desc

-- Revenue, platform fees and take rate by creator plan in the latest complete month.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

final as (
    select
        performance.plan_type,
        count(distinct performance.creator_id) as creators,
        sum(performance.gross_revenue_usd) as gross_revenue_usd,
        sum(performance.platform_fees_usd) as platform_fees_usd,
        round(
            100.0 * sum(performance.platform_fees_usd)
            / nullif(sum(performance.gross_revenue_usd), 0),
            2
        ) as platform_take_rate_pct
    from performance
    where performance.is_latest_complete_month
    group by 1
)

select * from final
order by 1

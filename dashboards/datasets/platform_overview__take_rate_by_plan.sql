-- Revenue, platform fees and take rate by creator plan in the latest complete month.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

latest_month as (
    select max(month_start_date) as month_start_date
    from performance
    where is_complete_month
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
    inner join latest_month
        on performance.month_start_date = latest_month.month_start_date
    group by 1
)

select * from final
order by 1

-- Platform totals in the latest complete month (the as-of month is still in progress).
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

final as (
    select
        performance.month_start_date,
        sum(performance.gross_mrr_usd) as gross_mrr_usd,
        -- A sum of per-creator counts: a patron who backs two creators counts twice.
        sum(performance.active_patrons) as active_patrons,
        count(distinct case when performance.active_patrons > 0 then performance.creator_id end)
            as active_creators,
        sum(performance.gross_revenue_usd) as gross_revenue_usd,
        sum(performance.platform_fees_usd) as platform_fees_usd,
        sum(performance.net_creator_earnings_usd) as net_creator_earnings_usd,
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

-- Creators, patrons, MRR and revenue by content category in the latest complete month.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

final as (
    select
        performance.creator_category,
        count(distinct case when performance.active_patrons > 0 then performance.creator_id end)
            as active_creators,
        sum(performance.active_patrons) as active_patrons,
        sum(performance.gross_mrr_usd) as gross_mrr_usd,
        sum(performance.gross_revenue_usd) as gross_revenue_usd,
        sum(performance.net_creator_earnings_usd) as net_creator_earnings_usd
    from performance
    where performance.is_latest_complete_month
    group by 1
)

select * from final
order by 4 desc, 1

-- Platform totals per complete month: MRR, patrons, revenue, fees and active creators.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
    where is_complete_month
),

final as (
    select
        month_start_date,
        sum(gross_mrr_usd) as gross_mrr_usd,
        sum(new_mrr_usd) as new_mrr_usd,
        sum(churned_mrr_usd) as churned_mrr_usd,
        sum(active_patrons) as active_patrons,
        sum(gross_revenue_usd) as gross_revenue_usd,
        sum(platform_fees_usd) as platform_fees_usd,
        sum(net_creator_earnings_usd) as net_creator_earnings_usd,
        -- The mart has a row for every creator from sign-up on, so counting rows would count
        -- dormant creators too; a creator is active in a month with an active patron.
        count(distinct case when active_patrons > 0 then creator_id end) as active_creators
    from performance
    group by 1
)

select * from final
order by 1

-- Platform totals per complete month: MRR, patrons, revenue, fees and active creators.
with

platform as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'platform' and is_complete_month
),

final as (
    select
        platform.month_start_date,
        platform.gross_mrr_usd,
        platform.new_mrr_usd,
        platform.churned_mrr_usd,
        platform.active_patrons,
        platform.gross_revenue_usd,
        platform.platform_fees_usd,
        platform.net_creator_earnings_usd,
        -- A creator is active in a month with an active patron (not every signed-up one).
        platform.active_creators
    from platform
)

select * from final
order by 1

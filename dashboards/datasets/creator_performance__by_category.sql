-- Creators, patrons, MRR and revenue by content category in the latest complete month.
with

categories as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'creator_category'
),

final as (
    select
        categories.segment as creator_category,
        categories.active_creators,
        categories.active_patrons,
        categories.gross_mrr_usd,
        categories.gross_revenue_usd,
        categories.net_creator_earnings_usd
    from categories
    where categories.is_latest_complete_month
)

select * from final
order by 4 desc, 1

-- Gross MRR per complete month and content category.
with

categories as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'creator_category' and is_complete_month
),

final as (
    select
        categories.month_start_date,
        categories.segment as creator_category,
        categories.gross_mrr_usd
    from categories
)

select * from final
order by 1, 2

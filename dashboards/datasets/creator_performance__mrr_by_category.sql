-- Gross MRR per complete month and content category.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
    where is_complete_month
),

final as (
    select
        month_start_date,
        creator_category,
        sum(gross_mrr_usd) as gross_mrr_usd
    from performance
    group by 1, 2
)

select * from final
order by 1, 2

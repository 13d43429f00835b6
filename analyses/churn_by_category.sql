-- Churn and collection by creator category, worst churn first.
with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

final as (
    select
        creator_category,
        -- Means of creator-month rates (every creator-month weighs the same); months whose
        -- rate is null (no patrons, no payment attempts) are left out of the mean.
        round(avg(patron_churn_rate_pct), 2) as avg_churn_rate,
        round(avg(collection_rate_pct), 2) as avg_collection_rate,
        sum(churned_patrons) as total_churned
    from performance
    group by 1
)

select * from final
order by 2 desc

-- Creators with both high engagement and high MRR in the latest complete month.
{%- set min_engagement_rate_pct = 50 %}
{%- set min_gross_mrr_usd = 1000 %}

with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

final as (
    select
        performance.creator_id,
        performance.creator_name,
        performance.creator_category,
        performance.gross_mrr_usd,
        performance.patron_engagement_rate_pct,
        performance.posts_published
    from performance
    where
        performance.is_latest_complete_month
        and performance.patron_engagement_rate_pct > {{ min_engagement_rate_pct }}
        and performance.gross_mrr_usd > {{ min_gross_mrr_usd }}
)

select * from final
order by 4 desc, 1

-- Content and engagement totals in the latest complete month.
with

platform as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'platform'
),

final as (
    select
        platform.month_start_date,
        platform.posts_published,
        platform.total_views,
        platform.total_likes,
        platform.total_comments,
        -- Engaged over all patrons of all creators (the segment's pooled rate).
        platform.patron_engagement_rate_pct
    from platform
    where platform.is_latest_complete_month
)

select * from final

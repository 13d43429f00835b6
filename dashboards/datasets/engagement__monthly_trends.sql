-- Posts, views, likes and comments per complete month.
with

platform as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'platform' and is_complete_month
),

final as (
    select
        platform.month_start_date,
        platform.posts_published,
        platform.total_views,
        platform.total_likes,
        platform.total_comments,
        platform.patron_engagement_rate_pct
    from platform
)

select * from final
order by 1

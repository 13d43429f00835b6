-- Posts, views, likes, comments and engagement rate by content category in the latest
-- complete month.
with

categories as (
    select * from analytics_marts.fct_segment_monthly_performance
    where segment_type = 'creator_category'
),

final as (
    select
        categories.segment as creator_category,
        categories.posts_published,
        categories.paywalled_posts,
        categories.free_posts,
        categories.total_views,
        categories.total_likes,
        categories.total_comments,
        categories.patron_engagement_rate_pct
    from categories
    where categories.is_latest_complete_month
)

select * from final
order by 5 desc, 1

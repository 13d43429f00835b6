-- Posts, views, likes, comments and engagement rate by content category in the latest
-- complete month.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

final as (
    select
        performance.creator_category,
        sum(performance.posts_published) as posts_published,
        sum(performance.paywalled_posts) as paywalled_posts,
        sum(performance.free_posts) as free_posts,
        sum(performance.total_views) as total_views,
        sum(performance.total_likes) as total_likes,
        sum(performance.total_comments) as total_comments,
        round(
            100.0 * sum(performance.engaged_patrons)
            / nullif(sum(performance.total_patrons), 0),
            2
        ) as patron_engagement_rate_pct
    from performance
    where performance.is_latest_complete_month
    group by 1
)

select * from final
order by 5 desc, 1

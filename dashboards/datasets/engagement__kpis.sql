-- Content and engagement totals in the latest complete month.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
),

final as (
    select
        performance.month_start_date,
        sum(performance.posts_published) as posts_published,
        sum(performance.total_views) as total_views,
        sum(performance.total_likes) as total_likes,
        sum(performance.total_comments) as total_comments,
        -- The mart's per-creator rate pooled over creators: engaged over all patrons.
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

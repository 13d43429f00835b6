-- Posts, views, likes and comments per complete month.
with

performance as (
    select * from analytics_marts.fct_creator_monthly_performance
    where is_complete_month
),

final as (
    select
        month_start_date,
        sum(posts_published) as posts_published,
        sum(total_views) as total_views,
        sum(total_likes) as total_likes,
        sum(total_comments) as total_comments,
        round(100.0 * sum(engaged_patrons) / nullif(sum(total_patrons), 0), 2)
            as patron_engagement_rate_pct
    from performance
    group by 1
)

select * from final
order by 1

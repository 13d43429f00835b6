-- Posts and engagement by creator category, most viewed first.
with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

final as (
    select
        creator_category,
        sum(posts_published) as total_posts,
        sum(total_views) as total_views,
        sum(total_likes) as total_likes,
        sum(total_comments) as total_comments,
        -- Mean of creator-month rates; months without patrons (null rate) are left out.
        round(avg(patron_engagement_rate_pct), 2) as avg_engagement_rate
    from performance
    group by 1
)

select * from final
order by 3 desc

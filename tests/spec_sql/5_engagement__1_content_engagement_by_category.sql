-- Content engagement by category
SELECT
    creator_category,
    SUM(posts_published) as total_posts,
    SUM(total_views) as total_views,
    SUM(total_likes) as total_likes,
    SUM(total_comments) as total_comments,
    ROUND(AVG(patron_engagement_rate_pct), 2) as avg_engagement_rate
FROM patreon_dev.analytics_marts.fct_creator_monthly_performance
GROUP BY creator_category
ORDER BY total_views DESC;

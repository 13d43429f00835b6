-- A post with an access level outside public / patron_only / tier_specific would be counted
-- as published but in neither bucket.
select
    creator_id,
    month_start_date,
    posts_published,
    paywalled_posts,
    free_posts
from {{ ref('fct_creator_monthly_performance') }}
where posts_published <> paywalled_posts + free_posts

-- One row per creator per month with a published post: content output.
-- depends_on: {{ ref('staging_audit_gate') }}

with

posts as (
    select * from {{ ref('stg_posts') }}
),

final as (
    select
        posts.creator_id,
        posts.published_month as month_start_date,
        count(*) as posts_published,
        count(case when posts.access_level in ('patron_only', 'tier_specific') then 1 end)
            as paywalled_posts,
        count(case when posts.access_level = 'public' then 1 end) as free_posts
    from posts
    group by 1, 2
)

select * from final

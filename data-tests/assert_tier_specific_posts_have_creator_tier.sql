-- minimum_tier_id is set exactly for tier_specific posts, and then names a tier of the post's
-- own creator. Returns each post that breaks a rule, with the rule.
with

posts as (

    select * from {{ ref('stg_posts') }}

),

tiers as (

    select * from {{ ref('stg_tiers') }}

),

checks as (

    select
        posts.post_id,
        posts.creator_id,
        posts.access_level,
        posts.minimum_tier_id,
        tiers.creator_id as tier_creator_id,
        case
            when posts.access_level = 'tier_specific' and posts.minimum_tier_id is null
                then 'tier_specific post without minimum_tier_id'
            when posts.access_level <> 'tier_specific' and posts.minimum_tier_id is not null
                then 'minimum_tier_id set on a post that is not tier_specific'
            when tiers.creator_id <> posts.creator_id
                then 'minimum tier belongs to another creator'
        end as broken_rule
    from posts
    left join tiers
        on posts.minimum_tier_id = tiers.tier_id

)

select * from checks
where broken_rule is not null

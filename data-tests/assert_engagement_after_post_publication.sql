-- Patrons can only engage with a post once it is published, and an event is attributed to the
-- post's own creator. Returns each event that breaks either rule, with the rule.
with

events as (

    select * from {{ ref('stg_engagement_events') }}

),

posts as (

    select * from {{ ref('stg_posts') }}

),

checks as (

    select
        events.event_id,
        events.post_id,
        events.event_at,
        posts.published_at,
        events.creator_id,
        posts.creator_id as post_creator_id,
        case
            when events.creator_id <> posts.creator_id
                then 'creator differs from the creator of the post'
            when events.event_at < posts.published_at
                then 'event before the post was published'
        end as broken_rule
    from events
    inner join posts
        on events.post_id = posts.post_id

)

select * from checks
where broken_rule is not null

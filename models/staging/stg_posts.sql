-- One row per post.
-- Raw columns are text: only the non-text ones are cast (try_cast, NULL when malformed).

with

source as (

    select * from {{ raw_table('posts') }}

),

typed as (

    select
        -- ids
        post_id,
        creator_id,
        minimum_tier_id,

        -- strings
        title,
        post_type,
        access_level,

        -- booleans
        {{ dbt.safe_cast('is_pinned', dbt.type_boolean()) }} as is_pinned,

        -- timestamps
        {{ dbt.safe_cast('published_at', dbt.type_timestamp()) }} as published_at

    from source

),

derived as (

    select
        -- ids
        post_id,
        creator_id,
        minimum_tier_id,

        -- strings
        title,
        post_type,
        access_level,
        case access_level
            when 'public' then 'free'
            when 'patron_only' then 'paywalled'
            when 'tier_specific' then 'premium'
        end as content_access_type,

        -- booleans
        is_pinned,

        -- dates
        {{ month_start('published_at') }} as published_month,
        cast(published_at as date) as published_date,

        -- timestamps
        published_at

    from typed

)

select * from derived

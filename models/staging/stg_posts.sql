-- One row per post.
-- Raw columns arrive as text or typed: safe_cast (try_cast) types the non-text ones; it is a
-- no-op on a column of that type, NULL on text that does not cast (a source check names it).

with

source as (

    select * from {{ source('raw', 'posts') }}

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
        *,

        -- strings
        case access_level
            when 'public' then 'free'
            when 'patron_only' then 'paywalled'
            when 'tier_specific' then 'premium'
        end as content_access_type,

        -- dates
        {{ month_start('published_at') }} as published_month,
        cast(published_at as date) as published_date

    from typed

)

select * from derived

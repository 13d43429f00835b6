-- One row per engagement event (a patron's view, like, unlike, comment or share of a post).
-- Raw columns arrive as text or typed: safe_cast (try_cast) types the non-text ones; it is a
-- no-op on a column of that type, NULL on text that does not cast (a source check names it).

with

source as (

    select * from {{ source('raw', 'engagement_events') }}

),

typed as (

    select
        -- ids
        event_id,
        patron_id,
        creator_id,
        post_id,

        -- strings
        event_type,

        -- timestamps
        {{ dbt.safe_cast('event_at', dbt.type_timestamp()) }} as event_at

    from source

),

derived as (

    select
        *,

        -- numerics
        -- Deeper interactions weigh more; an unlike withdraws attention and scores nothing.
        case event_type
            when 'view' then 1
            when 'like' then 3
            when 'comment' then 5
            when 'share' then 7
            when 'unlike' then 0
        end as engagement_weight,

        -- dates
        {{ month_start('event_at') }} as event_month,
        cast(event_at as date) as event_date

    from typed

)

select * from derived

-- One row per membership tier.
-- Raw columns arrive as text or typed: safe_cast (try_cast) types the non-text ones; it is a
-- no-op on a column of that type, NULL on text that does not cast (a source check names it).

with

source as (

    select * from {{ source('raw', 'tiers') }}

),

typed as (

    select
        -- ids
        tier_id,
        creator_id,

        -- strings
        tier_name,
        description,

        -- numerics
        {{ dbt.safe_cast('tier_rank', dbt.type_int()) }} as tier_rank,
        {{ dbt.safe_cast('price_usd', money_type()) }} as price_usd,

        -- booleans
        {{ dbt.safe_cast('is_active', dbt.type_boolean()) }} as is_active,

        -- timestamps
        {{ dbt.safe_cast('created_at', dbt.type_timestamp()) }} as created_at,
        {{ dbt.safe_cast('archived_at', dbt.type_timestamp()) }} as archived_at

    from source

)

select * from typed

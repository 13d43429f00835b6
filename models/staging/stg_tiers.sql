-- One row per membership tier.
-- Raw columns are text: only the non-text ones are cast (try_cast, NULL when malformed).

with

source as (

    select * from {{ raw_table('tiers') }}

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

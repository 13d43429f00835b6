-- One row per membership tier.
with

source as (

    select * from {{ raw_table('tiers') }}

),

renamed as (

    select
        -- ids
        {{ dbt.safe_cast('tier_id', dbt.type_string()) }} as tier_id,
        {{ dbt.safe_cast('creator_id', dbt.type_string()) }} as creator_id,

        -- strings
        {{ dbt.safe_cast('tier_name', dbt.type_string()) }} as tier_name,
        {{ dbt.safe_cast('description', dbt.type_string()) }} as description,

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

select * from renamed

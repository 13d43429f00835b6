-- One row per patron: typed columns plus the lifetime-spend value tier.
-- Raw columns arrive as text or typed: safe_cast (try_cast) types the non-text ones; it is a
-- no-op on a column of that type, NULL on text that does not cast (a source check names it).

with

source as (

    select * from {{ source('raw', 'patrons') }}

),

typed as (

    select
        -- ids
        patron_id,

        -- strings
        patron_name,
        {{ mask_email('email') }} as email,
        country_code,
        status,

        -- numerics
        {{ dbt.safe_cast('lifetime_spend_usd', money_type()) }} as lifetime_spend_usd,

        -- timestamps
        {{ dbt.safe_cast('created_at', dbt.type_timestamp()) }} as created_at,
        {{ dbt.safe_cast('first_pledge_at', dbt.type_timestamp()) }} as first_pledge_at

    from source

),

derived as (

    select
        *,

        -- strings
        -- Bands are lower bounds, inclusive (dbt_project.yml vars); a spend that does not
        -- cast stays null rather than passing for casual.
        case
            when lifetime_spend_usd >= {{ var('patron_value_tier_whale_min_usd') }}
                then 'whale'
            when lifetime_spend_usd >= {{ var('patron_value_tier_high_value_min_usd') }}
                then 'high_value'
            when lifetime_spend_usd >= {{ var('patron_value_tier_regular_min_usd') }}
                then 'regular'
            when lifetime_spend_usd >= 0
                then 'casual'
        end as patron_value_tier

    from typed

)

select * from derived

-- One row per patron: typed columns plus the lifetime-spend value tier.
{%- set lifetime_spend_usd = dbt.safe_cast('lifetime_spend_usd', money_type()) %}

with

source as (

    select * from {{ raw_table('patrons') }}

),

renamed as (

    select
        -- ids
        {{ dbt.safe_cast('patron_id', dbt.type_string()) }} as patron_id,

        -- strings
        {{ dbt.safe_cast('patron_name', dbt.type_string()) }} as patron_name,
        {{ mask_email(dbt.safe_cast('email', dbt.type_string())) }} as email,
        {{ dbt.safe_cast('country_code', dbt.type_string()) }} as country_code,
        {{ dbt.safe_cast('status', dbt.type_string()) }} as status,
        -- Bands are lower bounds, inclusive (dbt_project.yml vars); a spend that does not
        -- cast stays null rather than passing for casual.
        case
            when {{ lifetime_spend_usd }} >= {{ var('patron_value_tier_whale_min_usd') }}
                then 'whale'
            when {{ lifetime_spend_usd }} >= {{ var('patron_value_tier_high_value_min_usd') }}
                then 'high_value'
            when {{ lifetime_spend_usd }} >= {{ var('patron_value_tier_regular_min_usd') }}
                then 'regular'
            when {{ lifetime_spend_usd }} >= 0
                then 'casual'
        end as patron_value_tier,

        -- numerics
        {{ lifetime_spend_usd }} as lifetime_spend_usd,

        -- timestamps
        {{ dbt.safe_cast('created_at', dbt.type_timestamp()) }} as created_at,
        {{ dbt.safe_cast('first_pledge_at', dbt.type_timestamp()) }} as first_pledge_at

    from source

)

select * from renamed

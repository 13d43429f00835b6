-- One row per creator: typed columns plus onboarding and account-age measures.
-- Raw columns arrive as text or typed: safe_cast (try_cast) types the non-text ones; it is a
-- no-op on a column of that type, NULL on text that does not cast (a source check names it).

with

source as (

    select * from {{ source('raw', 'creators') }}

),

typed as (

    select
        -- ids
        creator_id,

        -- strings
        creator_name,
        {{ mask_email('email') }} as email,
        category,
        subcategory,
        country_code,
        currency_code,
        plan_type,
        status,

        -- booleans
        {{ dbt.safe_cast('is_nsfw', dbt.type_boolean()) }} as is_nsfw,
        {{ dbt.safe_cast('is_verified', dbt.type_boolean()) }} as is_verified,

        -- timestamps
        {{ dbt.safe_cast('created_at', dbt.type_timestamp()) }} as created_at,
        {{ dbt.safe_cast('first_pledge_received_at', dbt.type_timestamp()) }}
            as first_pledge_received_at,
        {{ dbt.safe_cast('last_post_at', dbt.type_timestamp()) }} as last_post_at

    from source

),

derived as (

    select
        *,

        -- numerics
        -- Null while the creator has no pledge yet.
        cast(
            {{ dbt.datediff('created_at', 'first_pledge_received_at', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_to_first_pledge,
        -- Completed calendar months up to the reference instant's date.
        cast(
            {{ whole_months_between(
                'cast(created_at as date)', 'cast(' ~ as_of_timestamp() ~ ' as date)'
            ) }} as {{ dbt.type_int() }}
        ) as account_age_months

    from typed

)

select * from derived

-- One row per creator: typed columns plus onboarding and account-age measures.
{%- set created_at = dbt.safe_cast('created_at', dbt.type_timestamp()) %}
{%- set first_pledge_received_at = dbt.safe_cast(
    'first_pledge_received_at', dbt.type_timestamp()
) %}

with

source as (

    select * from {{ raw_table('creators') }}

),

renamed as (

    select
        -- ids
        {{ dbt.safe_cast('creator_id', dbt.type_string()) }} as creator_id,

        -- strings
        {{ dbt.safe_cast('creator_name', dbt.type_string()) }} as creator_name,
        {{ mask_email(dbt.safe_cast('email', dbt.type_string())) }} as email,
        {{ dbt.safe_cast('category', dbt.type_string()) }} as category,
        {{ dbt.safe_cast('subcategory', dbt.type_string()) }} as subcategory,
        {{ dbt.safe_cast('country_code', dbt.type_string()) }} as country_code,
        {{ dbt.safe_cast('currency_code', dbt.type_string()) }} as currency_code,
        {{ dbt.safe_cast('plan_type', dbt.type_string()) }} as plan_type,
        {{ dbt.safe_cast('status', dbt.type_string()) }} as status,

        -- numerics
        -- Null while the creator has no pledge yet.
        cast(
            {{ dbt.datediff(created_at, first_pledge_received_at, 'day') }} as {{ dbt.type_int() }}
        ) as days_to_first_pledge,
        -- Completed calendar months up to the reference instant's date.
        cast(
            {{ whole_months_between(
                'cast(' ~ created_at ~ ' as date)', 'cast(' ~ as_of_timestamp() ~ ' as date)'
            ) }} as {{ dbt.type_int() }}
        ) as account_age_months,

        -- booleans
        {{ dbt.safe_cast('is_nsfw', dbt.type_boolean()) }} as is_nsfw,
        {{ dbt.safe_cast('is_verified', dbt.type_boolean()) }} as is_verified,

        -- timestamps
        {{ created_at }} as created_at,
        {{ first_pledge_received_at }} as first_pledge_received_at,
        {{ dbt.safe_cast('last_post_at', dbt.type_timestamp()) }} as last_post_at

    from source

)

select * from renamed

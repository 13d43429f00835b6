-- One row per post.
{%- set published_at = dbt.safe_cast('published_at', dbt.type_timestamp()) %}
{%- set access_level = dbt.safe_cast('access_level', dbt.type_string()) %}

with

source as (

    select * from {{ raw_table('posts') }}

),

renamed as (

    select
        -- ids
        {{ dbt.safe_cast('post_id', dbt.type_string()) }} as post_id,
        {{ dbt.safe_cast('creator_id', dbt.type_string()) }} as creator_id,
        {{ dbt.safe_cast('minimum_tier_id', dbt.type_string()) }} as minimum_tier_id,

        -- strings
        {{ dbt.safe_cast('title', dbt.type_string()) }} as title,
        {{ dbt.safe_cast('post_type', dbt.type_string()) }} as post_type,
        {{ access_level }} as access_level,
        case {{ access_level }}
            when 'public' then 'free'
            when 'patron_only' then 'paywalled'
            when 'tier_specific' then 'premium'
        end as content_access_type,

        -- booleans
        {{ dbt.safe_cast('is_pinned', dbt.type_boolean()) }} as is_pinned,

        -- dates
        {{ month_start(published_at) }} as published_month,
        cast({{ published_at }} as date) as published_date,

        -- timestamps
        {{ published_at }} as published_at

    from source

)

select * from renamed

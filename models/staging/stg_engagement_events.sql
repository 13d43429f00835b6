-- One row per engagement event (a patron's view, like, unlike, comment or share of a post).
{%- set event_at = dbt.safe_cast('event_at', dbt.type_timestamp()) %}
{%- set event_type = dbt.safe_cast('event_type', dbt.type_string()) %}

with

source as (

    select * from {{ raw_table('engagement_events') }}

),

renamed as (

    select
        -- ids
        {{ dbt.safe_cast('event_id', dbt.type_string()) }} as event_id,
        {{ dbt.safe_cast('patron_id', dbt.type_string()) }} as patron_id,
        {{ dbt.safe_cast('creator_id', dbt.type_string()) }} as creator_id,
        {{ dbt.safe_cast('post_id', dbt.type_string()) }} as post_id,

        -- strings
        {{ event_type }} as event_type,

        -- numerics
        -- Deeper interactions weigh more; an unlike withdraws attention and scores nothing.
        case {{ event_type }}
            when 'view' then 1
            when 'like' then 3
            when 'comment' then 5
            when 'share' then 7
            when 'unlike' then 0
        end as engagement_weight,

        -- dates
        {{ month_start(event_at) }} as event_month,
        cast({{ event_at }} as date) as event_date,

        -- timestamps
        {{ event_at }} as event_at

    from source

)

select * from renamed

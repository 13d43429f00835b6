-- One row per pledge (a patron's subscription to one creator's tier).
{%- set started_at = dbt.safe_cast('started_at', dbt.type_timestamp()) %}
{%- set ended_at = dbt.safe_cast('ended_at', dbt.type_timestamp()) %}
{%- set pause_started_at = dbt.safe_cast('pause_started_at', dbt.type_timestamp()) %}

with

source as (

    select * from {{ raw_table('pledges') }}

),

renamed as (

    select
        -- ids
        {{ dbt.safe_cast('pledge_id', dbt.type_string()) }} as pledge_id,
        {{ dbt.safe_cast('patron_id', dbt.type_string()) }} as patron_id,
        {{ dbt.safe_cast('creator_id', dbt.type_string()) }} as creator_id,
        {{ dbt.safe_cast('tier_id', dbt.type_string()) }} as tier_id,

        -- strings
        {{ dbt.safe_cast('pledge_status', dbt.type_string()) }} as pledge_status,
        {{ dbt.safe_cast('churn_reason', dbt.type_string()) }} as churn_reason,

        -- numerics
        {{ dbt.safe_cast('pledge_amount_usd', money_type()) }} as pledge_amount_usd,
        -- An open pledge has lasted until the reference instant.
        cast(
            {{ dbt.datediff(
                started_at, 'coalesce(' ~ ended_at ~ ', ' ~ as_of_timestamp() ~ ')', 'day'
            ) }} as {{ dbt.type_int() }}
        ) as pledge_duration_days,

        -- booleans
        {{ dbt.safe_cast('is_first_pledge', dbt.type_boolean()) }} as is_first_pledge,
        -- Membership at the reference instant: started, not yet ended, not paused. A declined
        -- pledge is still a member in the payment-retry window, so it counts as active.
        coalesce(
            {{ started_at }} <= {{ as_of_timestamp() }}
            and ({{ ended_at }} is null or {{ ended_at }} > {{ as_of_timestamp() }})
            and (
                {{ pause_started_at }} is null
                or {{ pause_started_at }} > {{ as_of_timestamp() }}
            ),
            false
        ) as is_currently_active,

        -- dates
        {{ month_start(started_at) }} as pledge_month,

        -- timestamps
        {{ started_at }} as started_at,
        {{ ended_at }} as ended_at,
        {{ pause_started_at }} as pause_started_at

    from source

)

select * from renamed

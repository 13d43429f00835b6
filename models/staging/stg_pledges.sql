-- One row per pledge (a patron's subscription to one creator's tier).
-- Raw columns arrive as text or typed: safe_cast (try_cast) types the non-text ones; it is a
-- no-op on a column of that type, NULL on text that does not cast (a source check names it).

with

source as (

    select * from {{ source('raw', 'pledges') }}

),

typed as (

    select
        -- ids
        pledge_id,
        patron_id,
        creator_id,
        tier_id,

        -- strings
        pledge_status,
        churn_reason,

        -- numerics
        {{ dbt.safe_cast('pledge_amount_usd', money_type()) }} as pledge_amount_usd,

        -- booleans
        {{ dbt.safe_cast('is_first_pledge', dbt.type_boolean()) }} as is_first_pledge,

        -- timestamps
        {{ dbt.safe_cast('started_at', dbt.type_timestamp()) }} as started_at,
        {{ dbt.safe_cast('ended_at', dbt.type_timestamp()) }} as ended_at,
        {{ dbt.safe_cast('pause_started_at', dbt.type_timestamp()) }} as pause_started_at

    from source

),

derived as (

    select
        *,

        -- numerics
        -- An open pledge has lasted until the reference instant.
        cast(
            {{ dbt.datediff(
                'started_at', 'coalesce(ended_at, ' ~ as_of_timestamp() ~ ')', 'day'
            ) }} as {{ dbt.type_int() }}
        ) as pledge_duration_days,

        -- booleans
        -- Membership at the reference instant: started, not yet ended, not paused. A declined
        -- pledge is still a member in the payment-retry window, so it counts as active.
        coalesce(
            started_at <= {{ as_of_timestamp() }}
            and (ended_at is null or ended_at > {{ as_of_timestamp() }})
            and (pause_started_at is null or pause_started_at > {{ as_of_timestamp() }}),
            false
        ) as is_currently_active,

        -- dates
        {{ month_start('started_at') }} as pledge_month

    from typed

)

select * from derived

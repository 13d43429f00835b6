-- One row per payment transaction (pledge payments, refunds and chargebacks).
-- Raw columns arrive as text or typed: safe_cast (try_cast) types the non-text ones; it is a
-- no-op on a column of that type, NULL on text that does not cast (a source check names it).

with

source as (

    select * from {{ source('raw', 'transactions') }}

),

typed as (

    select
        -- ids
        transaction_id,
        pledge_id,
        patron_id,
        creator_id,

        -- strings
        transaction_type,
        transaction_status,
        payment_method,
        failure_reason,

        -- numerics
        {{ dbt.safe_cast('gross_amount_usd', money_type()) }} as gross_amount_usd,
        {{ dbt.safe_cast('platform_fee_usd', money_type()) }} as platform_fee_usd,
        {{ dbt.safe_cast('processing_fee_usd', money_type()) }} as processing_fee_usd,
        {{ dbt.safe_cast('net_amount_usd', money_type()) }} as net_amount_usd,

        -- timestamps
        {{ dbt.safe_cast('transaction_at', dbt.type_timestamp()) }} as transaction_at

    from source

),

derived as (

    select
        *,

        -- numerics
        -- Rates are undefined for a zero gross amount: null, not a division error.
        cast(
            round(100 * platform_fee_usd / nullif(gross_amount_usd, 0), 2) as decimal(9, 2)
        ) as platform_fee_rate_pct,
        cast(
            round(100 * processing_fee_usd / nullif(gross_amount_usd, 0), 2) as decimal(9, 2)
        ) as processing_fee_rate_pct,

        -- booleans
        coalesce(transaction_status = 'succeeded', false) as is_successful,

        -- dates
        {{ month_start('transaction_at') }} as transaction_month,
        cast(transaction_at as date) as transaction_date

    from typed

)

select * from derived

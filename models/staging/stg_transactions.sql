-- One row per payment transaction (pledge payments, refunds and chargebacks).
{%- set gross_amount_usd = dbt.safe_cast('gross_amount_usd', money_type()) %}
{%- set platform_fee_usd = dbt.safe_cast('platform_fee_usd', money_type()) %}
{%- set processing_fee_usd = dbt.safe_cast('processing_fee_usd', money_type()) %}
{%- set transaction_at = dbt.safe_cast('transaction_at', dbt.type_timestamp()) %}
{%- set transaction_status = dbt.safe_cast('transaction_status', dbt.type_string()) %}

with

source as (

    select * from {{ raw_table('transactions') }}

),

renamed as (

    select
        -- ids
        {{ dbt.safe_cast('transaction_id', dbt.type_string()) }} as transaction_id,
        {{ dbt.safe_cast('pledge_id', dbt.type_string()) }} as pledge_id,
        {{ dbt.safe_cast('patron_id', dbt.type_string()) }} as patron_id,
        {{ dbt.safe_cast('creator_id', dbt.type_string()) }} as creator_id,

        -- strings
        {{ dbt.safe_cast('transaction_type', dbt.type_string()) }} as transaction_type,
        {{ transaction_status }} as transaction_status,
        {{ dbt.safe_cast('payment_method', dbt.type_string()) }} as payment_method,
        {{ dbt.safe_cast('failure_reason', dbt.type_string()) }} as failure_reason,

        -- numerics
        {{ gross_amount_usd }} as gross_amount_usd,
        {{ platform_fee_usd }} as platform_fee_usd,
        {{ processing_fee_usd }} as processing_fee_usd,
        {{ dbt.safe_cast('net_amount_usd', money_type()) }} as net_amount_usd,
        -- Rates are undefined for a zero gross amount: null, not a division error.
        cast(
            round(100 * {{ platform_fee_usd }} / nullif({{ gross_amount_usd }}, 0), 2)
            as decimal(9, 2)
        ) as platform_fee_rate_pct,
        cast(
            round(100 * {{ processing_fee_usd }} / nullif({{ gross_amount_usd }}, 0), 2)
            as decimal(9, 2)
        ) as processing_fee_rate_pct,

        -- booleans
        coalesce({{ transaction_status }} = 'succeeded', false) as is_successful,

        -- dates
        {{ month_start(transaction_at) }} as transaction_month,
        cast({{ transaction_at }} as date) as transaction_date,

        -- timestamps
        {{ transaction_at }} as transaction_at

    from source

)

select * from renamed

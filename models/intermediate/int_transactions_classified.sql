{#-
    Grain: one row per transaction (stg_transactions), classified as the revenue rules say
    (docs block collected_payments) and with the amounts signed accordingly, so that summing
    a column over any set of rows gives that set's revenue, fees or payment health. The
    semantic layer's payments model reads it, which puts revenue at day grain.
-#}

with

transactions as (
    select * from {{ ref('stg_transactions') }}
),

classified as (
    select
        transactions.transaction_id,
        transactions.pledge_id,
        transactions.patron_id,
        transactions.creator_id,
        transactions.transaction_type,
        transactions.transaction_status,
        -- A 'refunded' payment was collected first; its reversal is a separate refund or
        -- chargeback row, dated when the money went back. Pending rows are in no class.
        case
            when transactions.transaction_type = 'pledge_payment'
                and transactions.transaction_status in ('succeeded', 'refunded')
                then 'collected'
            when transactions.transaction_type = 'pledge_payment'
                and transactions.transaction_status = 'failed'
                then 'failed'
            when transactions.transaction_type in ('refund', 'chargeback')
                and transactions.transaction_status = 'succeeded'
                then 'reversed'
        end as transaction_class,
        transactions.gross_amount_usd,
        transactions.platform_fee_usd,
        transactions.processing_fee_usd,
        transactions.net_amount_usd,
        transactions.transaction_date,
        transactions.transaction_month,
        transactions.transaction_at
    from transactions
),

-- Revenue counts collected payments up and reversals down; failed attempts count apart.
final as (
    select
        classified.transaction_id,
        classified.pledge_id,
        classified.patron_id,
        classified.creator_id,
        classified.transaction_type,
        classified.transaction_status,
        classified.transaction_class,
        case classified.transaction_class
            when 'collected' then classified.gross_amount_usd
            when 'reversed' then -classified.gross_amount_usd
            else 0
        end as gross_revenue_usd,
        case classified.transaction_class
            when 'collected' then classified.platform_fee_usd
            when 'reversed' then -classified.platform_fee_usd
            else 0
        end as platform_fees_usd,
        case classified.transaction_class
            when 'collected' then classified.processing_fee_usd
            when 'reversed' then -classified.processing_fee_usd
            else 0
        end as processing_fees_usd,
        case classified.transaction_class
            when 'collected' then classified.net_amount_usd
            when 'reversed' then -classified.net_amount_usd
            else 0
        end as net_creator_earnings_usd,
        case
            when classified.transaction_class = 'collected' then classified.gross_amount_usd
            else 0
        end as collected_amount_usd,
        case
            when classified.transaction_class = 'failed' then classified.gross_amount_usd
            else 0
        end as declined_amount_usd,
        coalesce(classified.transaction_class = 'collected', false) as is_collected,
        coalesce(classified.transaction_class = 'failed', false) as is_failed,
        classified.transaction_date,
        classified.transaction_month,
        classified.transaction_at
    from classified
)

select * from final

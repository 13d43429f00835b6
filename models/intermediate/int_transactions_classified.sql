-- One row per transaction, classified by the revenue rules (docs block collected_payments),
-- with its amounts signed so that a sum over any rows (a day, a month, a plan) is that
-- slice's revenue, fees or payment health. The one home of those rules: the monthly
-- aggregate and the semantic layer's payments model both sum this model.
-- depends_on: {{ ref('staging_audit_gate') }}

with

transactions as (
    select * from {{ ref('stg_transactions') }}
),

-- A 'refunded' payment was collected first; its reversal is a separate refund or
-- chargeback row, dated when the money went back, so revenue nets out in the month it
-- happened. A retried payment is two rows: the failed attempt and the collected retry.
-- Pending payments and reversals that did not succeed are in no class.
classified as (
    select
        transactions.*,
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
        end as transaction_class
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

-- One row per creator per month with any transaction: revenue, fees and payment health.
{{ depends_on_staging_audit_gate() }}

with

transactions as (
    select * from {{ ref('stg_transactions') }}
),

-- A 'refunded' payment was collected first; its reversal is a separate refund/chargeback
-- row in the month the money went back, so revenue nets out in the month it happened. A
-- retried payment is two rows: the failed attempt and the collected retry.
classified_transactions as (
    select
        transactions.creator_id,
        transactions.gross_amount_usd,
        transactions.platform_fee_usd,
        transactions.processing_fee_usd,
        transactions.net_amount_usd,
        case
            when transactions.transaction_type = 'pledge_payment'
                and transactions.transaction_status in ('succeeded', 'refunded')
                then 1
            when transactions.transaction_type in ('refund', 'chargeback')
                and transactions.transaction_status = 'succeeded'
                then -1
            else 0
        end as revenue_sign,
        coalesce(
            transactions.transaction_type = 'pledge_payment'
            and transactions.transaction_status = 'failed',
            false
        ) as is_failed_payment,
        transactions.transaction_month as month_start_date
    from transactions
),

final as (
    select
        classified_transactions.creator_id,
        classified_transactions.month_start_date,
        sum(classified_transactions.revenue_sign * classified_transactions.gross_amount_usd)
            as gross_revenue_usd,
        sum(classified_transactions.revenue_sign * classified_transactions.platform_fee_usd)
            as platform_fees_usd,
        sum(classified_transactions.revenue_sign * classified_transactions.processing_fee_usd)
            as processing_fees_usd,
        sum(classified_transactions.revenue_sign * classified_transactions.net_amount_usd)
            as net_creator_earnings_usd,
        sum(
            case
                when classified_transactions.revenue_sign = 1
                    then classified_transactions.gross_amount_usd
                else 0
            end
        ) as collected_amount_usd,
        sum(case when classified_transactions.revenue_sign = 1 then 1 else 0 end)
            as successful_transactions,
        sum(case when classified_transactions.is_failed_payment then 1 else 0 end)
            as failed_transactions,
        sum(
            case
                when classified_transactions.is_failed_payment
                    then classified_transactions.gross_amount_usd
                else 0
            end
        ) as declined_amount_usd
    from classified_transactions
    group by 1, 2
)

select * from final

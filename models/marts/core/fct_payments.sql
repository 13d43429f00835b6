-- One row per transaction with its revenue class and signed amounts: the semantic layer's
-- payments (revenue by day, week or month). A table, not a view over staging, so a load
-- that fails a check on the inputs never reaches a metric (docs/data-quality.md).
{{ depends_on_staging_audit_gate() }}

with

transactions as (
    select * from {{ ref('int_transactions_classified') }}
),

final as (
    select
        transactions.transaction_id,
        transactions.pledge_id,
        transactions.patron_id,
        transactions.creator_id,
        transactions.transaction_type,
        transactions.transaction_status,
        transactions.transaction_class,
        transactions.gross_revenue_usd,
        transactions.platform_fees_usd,
        transactions.processing_fees_usd,
        transactions.net_creator_earnings_usd,
        transactions.collected_amount_usd,
        transactions.declined_amount_usd,
        transactions.is_collected,
        transactions.is_failed,
        transactions.transaction_date,
        transactions.transaction_month,
        transactions.transaction_at
    from transactions
)

select * from final

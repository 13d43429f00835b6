-- One row per transaction with its revenue class and signed amounts: the semantic layer's
-- payments (revenue by day, week or month). A table, not a view over staging, so a load
-- that fails a check on the inputs never reaches a metric (docs/data-quality.md).

with

transactions as (
    select * from {{ ref('int_transactions_classified') }}
),

final as (
    select
        transactions.*,
        {{ creator_month_id('transactions.creator_id', 'transactions.transaction_month') }}
            as creator_month_id
    from transactions
)

select * from final

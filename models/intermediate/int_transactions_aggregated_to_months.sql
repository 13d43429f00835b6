-- One row per creator per month with any transaction: revenue, fees and payment health,
-- summed from the classified transactions (the rules live there).
{{ depends_on_staging_audit_gate() }}

with

transactions as (
    select * from {{ ref('int_transactions_classified') }}
),

final as (
    select
        transactions.creator_id,
        transactions.transaction_month as month_start_date,
        sum(transactions.gross_revenue_usd) as gross_revenue_usd,
        sum(transactions.platform_fees_usd) as platform_fees_usd,
        sum(transactions.processing_fees_usd) as processing_fees_usd,
        sum(transactions.net_creator_earnings_usd) as net_creator_earnings_usd,
        sum(transactions.collected_amount_usd) as collected_amount_usd,
        count(case when transactions.is_collected then 1 end) as successful_transactions,
        count(case when transactions.is_failed then 1 end) as failed_transactions,
        sum(transactions.declined_amount_usd) as declined_amount_usd
    from transactions
    group by 1, 2
)

select * from final

-- One row per creator per month with any transaction: revenue, fees and payment health,
-- summed from the classified transactions (the rules live there).

with

transactions as (
    select * from {{ ref('int_transactions_classified') }}
),

final as (
    select
        transactions.creator_id,
        transactions.transaction_month as month_start_date,
        cast(sum(transactions.gross_revenue_usd) as {{ money_type() }}) as gross_revenue_usd,
        cast(sum(transactions.platform_fees_usd) as {{ money_type() }}) as platform_fees_usd,
        cast(sum(transactions.processing_fees_usd) as {{ money_type() }}) as processing_fees_usd,
        cast(sum(transactions.net_creator_earnings_usd) as {{ money_type() }})
            as net_creator_earnings_usd,
        cast(sum(transactions.collected_amount_usd) as {{ money_type() }}) as collected_amount_usd,
        count(case when transactions.is_collected then 1 end) as successful_transactions,
        count(case when transactions.is_failed then 1 end) as failed_transactions,
        cast(sum(transactions.declined_amount_usd) as {{ money_type() }}) as declined_amount_usd
    from transactions
    group by 1, 2
)

select * from final

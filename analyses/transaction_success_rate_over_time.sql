-- Payment success rate per month: collected payments over collected plus failed ones.
with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

final as (
    select
        month_start_date,
        -- false for the month in progress: its revenue and payments are not all in yet.
        is_complete_month,
        sum(successful_transactions) as successful_transactions,
        sum(failed_transactions) as failed_transactions,
        round(
            sum(successful_transactions) * 100.0
            / nullif(sum(successful_transactions) + sum(failed_transactions), 0),
            2
        ) as success_rate_pct
    from performance
    group by 1, 2
)

select * from final
order by 1

-- A failure reason explains a failed payment and nothing else: failure_reason is set exactly
-- when transaction_status is 'failed'. Returns each transaction that breaks the rule.
with

transactions as (

    select * from {{ ref('stg_transactions') }}

)

select
    transactions.transaction_id,
    transactions.transaction_type,
    transactions.transaction_status,
    transactions.failure_reason,
    case
        when transactions.transaction_status = 'failed'
            then 'failed transaction without a failure_reason'
        else 'failure_reason on a transaction that did not fail'
    end as broken_rule
from transactions
where
    (transactions.transaction_status = 'failed') <> (transactions.failure_reason is not null)

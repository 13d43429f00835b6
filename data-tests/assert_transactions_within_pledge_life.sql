-- A transaction belongs to its pledge: same patron and creator, and it happens while the
-- pledge runs. Payments fall between started_at and ended_at; a refund or chargeback reverses
-- an earlier payment and may arrive up to 60 days after the pledge ended. Returns each
-- transaction that breaks a rule, with the rule.
with

transactions as (

    select * from {{ ref('stg_transactions') }}

),

pledges as (

    select * from {{ ref('stg_pledges') }}

),

checks as (

    select
        transactions.transaction_id,
        transactions.pledge_id,
        transactions.transaction_type,
        transactions.transaction_at,
        pledges.started_at as pledge_started_at,
        pledges.ended_at as pledge_ended_at,
        transactions.patron_id,
        pledges.patron_id as pledge_patron_id,
        transactions.creator_id,
        pledges.creator_id as pledge_creator_id,
        case
            when transactions.patron_id <> pledges.patron_id
                then 'patron differs from the patron of the pledge'
            when transactions.creator_id <> pledges.creator_id
                then 'creator differs from the creator of the pledge'
            when transactions.transaction_at < pledges.started_at
                then 'before the pledge started'
            when transactions.transaction_type = 'pledge_payment'
                and transactions.transaction_at > pledges.ended_at
                then 'payment after the pledge ended'
            when transactions.transaction_type in ('refund', 'chargeback')
                and transactions.transaction_at
                > {{ dbt.dateadd('day', 60, 'pledges.ended_at') }}
                then 'reversal more than 60 days after the pledge ended'
        end as broken_rule
    from transactions
    inner join pledges
        on transactions.pledge_id = pledges.pledge_id

)

select * from checks
where broken_rule is not null

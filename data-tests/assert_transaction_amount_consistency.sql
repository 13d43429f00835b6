-- The fee identity (the spec's "transaction amount consistency" check): every transaction's
-- gross amount splits exactly into platform fee + processing fee + net payout, to the cent
-- (0.01 tolerance). Returns each transaction that does not add up, with its discrepancy.
with

transactions as (

    select * from {{ ref('stg_transactions') }}

)

select
    transactions.transaction_id,
    transactions.pledge_id,
    transactions.gross_amount_usd,
    transactions.platform_fee_usd,
    transactions.processing_fee_usd,
    transactions.net_amount_usd,
    (
        transactions.platform_fee_usd
        + transactions.processing_fee_usd
        + transactions.net_amount_usd
    ) as calculated_gross,
    transactions.gross_amount_usd - (
        transactions.platform_fee_usd
        + transactions.processing_fee_usd
        + transactions.net_amount_usd
    ) as discrepancy
from transactions
where
    abs(
        transactions.gross_amount_usd - (
            transactions.platform_fee_usd
            + transactions.processing_fee_usd
            + transactions.net_amount_usd
        )
    ) > 0.01

-- Every collected or reversed dollar is split into platform fee, processing fee and creator
-- payout; a month where the parts do not add up to gross revenue lost or invented money.
select
    creator_id,
    month_start_date,
    gross_revenue_usd,
    platform_fees_usd,
    processing_fees_usd,
    net_creator_earnings_usd
from {{ ref('fct_creator_monthly_performance') }}
where gross_revenue_usd <> platform_fees_usd + processing_fees_usd + net_creator_earnings_usd

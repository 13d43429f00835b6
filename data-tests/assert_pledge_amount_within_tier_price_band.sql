-- A pledge pays its tier's price, or a little more for a patron who pays what they want: from
-- price - var('pledge_amount_max_below_tier_price_usd') to price +
-- var('pledge_amount_max_above_tier_price_usd'). An amount far outside (a 1000x typo, a
-- price in cents) would inflate MRR. Returns the pledge, its tier, amount and price.
with

pledges as (
    select * from {{ ref('stg_pledges') }}
),

tiers as (
    select * from {{ ref('stg_tiers') }}
)

select
    'stg_pledges' as table_name,
    pledges.pledge_id as record_key,
    pledges.tier_id,
    pledges.pledge_amount_usd as offending_value,
    tiers.price_usd as tier_price_usd
from pledges
inner join tiers
    on pledges.tier_id = tiers.tier_id
where
    pledges.pledge_amount_usd
    < tiers.price_usd - {{ var('pledge_amount_max_below_tier_price_usd') }}
    or pledges.pledge_amount_usd
    > tiers.price_usd + {{ var('pledge_amount_max_above_tier_price_usd') }}

-- A pledge supports one creator through one of that creator's own tiers. Returns pledges whose
-- tier belongs to another creator (an unknown tier is the relationships test's business).
with

pledges as (

    select * from {{ ref('stg_pledges') }}

),

tiers as (

    select * from {{ ref('stg_tiers') }}

)

select
    pledges.pledge_id,
    pledges.creator_id as pledge_creator_id,
    pledges.tier_id,
    tiers.creator_id as tier_creator_id
from pledges
inner join tiers
    on pledges.tier_id = tiers.tier_id
where pledges.creator_id <> tiers.creator_id

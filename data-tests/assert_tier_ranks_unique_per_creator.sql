-- A creator's tiers have distinct ranks (1 = lowest): two tiers sharing a rank would put their
-- patrons in one tier bucket of the mart. Returns every tier whose (creator_id, tier_rank) is
-- shared, with its key and the duplicated rank.
with

tiers as (
    select * from {{ ref('stg_tiers') }}
),

rank_holders as (
    select
        tiers.creator_id,
        tiers.tier_rank,
        count(*) as tiers_with_rank
    from tiers
    group by 1, 2
    having count(*) > 1
)

select
    'stg_tiers' as table_name,
    tiers.tier_id as record_key,
    tiers.creator_id,
    tiers.tier_rank as offending_value,
    rank_holders.tiers_with_rank
from tiers
inner join rank_holders
    on
        tiers.creator_id = rank_holders.creator_id
        and tiers.tier_rank = rank_holders.tier_rank

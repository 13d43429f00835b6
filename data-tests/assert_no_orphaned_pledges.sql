-- The spec's "orphaned pledges" check: every pledge's creator exists in stg_creators.
-- Returns the pledges whose creator is missing.
with

pledges as (

    select * from {{ ref('stg_pledges') }}

),

creators as (

    select * from {{ ref('stg_creators') }}

)

select
    pledges.pledge_id,
    pledges.creator_id
from pledges
left join creators
    on pledges.creator_id = creators.creator_id
where creators.creator_id is null

-- Each active patron belongs to exactly one tier bucket (highest active rank); a pledge
-- whose tier is unknown or unranked would make the buckets fall short of active_patrons.
select
    creator_id,
    month_start_date,
    active_patrons,
    tier_1_patrons,
    tier_2_patrons,
    tier_3_plus_patrons
from {{ ref('fct_creator_monthly_performance') }}
where tier_1_patrons + tier_2_patrons + tier_3_plus_patrons <> active_patrons

-- One row per pledge per creator-month it overlaps (started before the month ended, not
-- ended before it began): the only months in which it can be active at either month end,
-- start or end. Months before the creator joined are not in the spine, so a pledge older
-- than its creator starts at the creator's first month.

with

spine as (
    select * from {{ ref('int_creators_spined_to_months') }}
),

pledges as (
    select * from {{ ref('stg_pledges') }}
),

tiers as (
    select * from {{ ref('stg_tiers') }}
),

-- Read apart from `pledges`: DuckDB materializes a CTE that is read twice.
pledge_pairs as (
    select
        creator_id,
        patron_id
    from {{ ref('stg_pledges') }}
),

-- A patron with one pledge to a creator, ever, has that pledge's months as their own:
-- int_memberships_aggregated_to_months groups only the pledges of the pairs listed here
-- (about 5 % of pairs). Listing the few is cheaper than counting every pair's pledges.
patrons_with_several_pledges as (
    select
        pledge_pairs.creator_id,
        pledge_pairs.patron_id
    from pledge_pairs
    group by 1, 2
    having count(*) > 1
),

counted_pledges as (
    select
        pledges.*,
        patrons_with_several_pledges.patron_id is null as is_sole_pledge_of_patron
    from pledges
    left join patrons_with_several_pledges
        on
            pledges.creator_id = patrons_with_several_pledges.creator_id
            and pledges.patron_id = patrons_with_several_pledges.patron_id
),

-- The flags lean on the join: every row started before next month and did not end before
-- this month. A paused pledge is inactive from its pause on, but it has not ended.
pledge_months as (
    select
        counted_pledges.pledge_id,
        spine.creator_id,
        counted_pledges.patron_id,
        counted_pledges.pledge_amount_usd,
        tiers.tier_rank,
        counted_pledges.is_sole_pledge_of_patron,
        (counted_pledges.ended_at is null or counted_pledges.ended_at >= spine.next_month_start_at)
        and (
            counted_pledges.pause_started_at is null
            or counted_pledges.pause_started_at >= spine.next_month_start_at
        ) as is_active_at_month_end,
        counted_pledges.started_at < spine.month_start_at
        and (
            counted_pledges.pause_started_at is null
            or counted_pledges.pause_started_at >= spine.month_start_at
        ) as is_active_at_prior_month_end,
        counted_pledges.started_at >= spine.month_start_at as is_started_in_month,
        coalesce(counted_pledges.ended_at < spine.next_month_start_at, false) as is_ended_in_month,
        spine.month_start_date
    from spine
    inner join counted_pledges
        on
            spine.creator_id = counted_pledges.creator_id
            and counted_pledges.started_at < spine.next_month_start_at
            and (
                counted_pledges.ended_at is null
                or counted_pledges.ended_at >= spine.month_start_at
            )
    left join tiers
        on counted_pledges.tier_id = tiers.tier_id
),

-- What the pledge brings to its patron's month: its amount wherever it counts, else 0.
final as (
    select
        pledge_months.pledge_id,
        pledge_months.creator_id,
        pledge_months.patron_id,
        pledge_months.pledge_amount_usd,
        pledge_months.tier_rank,
        case when pledge_months.is_active_at_month_end then pledge_months.tier_rank end
            as active_tier_rank,
        case
            when pledge_months.is_active_at_month_end then pledge_months.pledge_amount_usd
            else 0
        end as gross_mrr_usd,
        case
            when pledge_months.is_active_at_prior_month_end then pledge_months.pledge_amount_usd
            else 0
        end as prior_gross_mrr_usd,
        case
            when pledge_months.is_started_in_month then pledge_months.pledge_amount_usd
            else 0
        end as started_mrr_usd,
        case
            when pledge_months.is_ended_in_month then pledge_months.pledge_amount_usd
            else 0
        end as ended_mrr_usd,
        pledge_months.is_sole_pledge_of_patron,
        pledge_months.is_active_at_month_end,
        pledge_months.is_active_at_prior_month_end,
        pledge_months.is_started_in_month,
        pledge_months.is_ended_in_month,
        pledge_months.month_start_date
    from pledge_months
)

select * from final

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

-- The flags lean on the join: every row started before next month and did not end before
-- this month. A paused pledge is inactive from its pause on, but it has not ended.
pledge_months as (
    select
        pledges.pledge_id,
        spine.creator_id,
        pledges.patron_id,
        pledges.pledge_amount_usd,
        tiers.tier_rank,
        (pledges.ended_at is null or pledges.ended_at >= spine.next_month_start_at)
        and (
            pledges.pause_started_at is null
            or pledges.pause_started_at >= spine.next_month_start_at
        ) as is_active_at_month_end,
        pledges.started_at < spine.month_start_at
        and (
            pledges.pause_started_at is null
            or pledges.pause_started_at >= spine.month_start_at
        ) as is_active_at_prior_month_end,
        pledges.started_at >= spine.month_start_at as is_started_in_month,
        coalesce(pledges.ended_at < spine.next_month_start_at, false) as is_ended_in_month,
        spine.month_start_date
    from spine
    inner join pledges
        on
            spine.creator_id = pledges.creator_id
            and pledges.started_at < spine.next_month_start_at
            and (
                pledges.ended_at is null
                or pledges.ended_at >= spine.month_start_at
            )
    left join tiers
        on pledges.tier_id = tiers.tier_id
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
        pledge_months.is_active_at_month_end,
        pledge_months.is_active_at_prior_month_end,
        pledge_months.is_started_in_month,
        pledge_months.is_ended_in_month,
        pledge_months.month_start_date
    from pledge_months
)

select * from final

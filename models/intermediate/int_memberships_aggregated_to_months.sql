-- One row per creator, patron and month in which the patron had a pledge to the creator
-- overlapping the month: the patron's state, and the MRR it brings, in that month.
-- Incremental by month: docs/pipeline.md#incremental-refresh.
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy_by_engine(),
        partition_by=incremental_partition_by_month(),
        pre_hook="{{ drop_window_partitions() }}",
        on_schema_change='fail',
    )
}}
{%- set window_start = incremental_window_start() %}

with

pledge_months as (
    select * from {{ ref('int_pledges_joined_to_months') }}
    {{- where_in_window(window_start) }}
),

-- The pledges that reach the window: still open, or ended in it (all of them in a full
-- build). A pair with one of them has that pledge alone in each of the window's months.
-- Read apart from `pledge_months` and filtered on the pledge's own timestamp (P9).
pledge_pairs as (
    select
        creator_id,
        patron_id
    from {{ ref('stg_pledges') }}
    {{- where_in_window(window_start, 'ended_at', keep_nulls=true) }}
),

-- A patron's month is the sum of their pledges' months (int_pledges_joined_to_months
-- holds what each pledge brings). A patron with a single pledge to the creator among those
-- (99 % of patron-months) already has it as one row: only the pairs listed here go through
-- the group by, which would otherwise be the pipeline's costliest step (DECISIONLOG.md P4).
patrons_with_several_pledges as (
    select
        pledge_pairs.creator_id,
        pledge_pairs.patron_id
    from pledge_pairs
    group by 1, 2
    having count(*) > 1
),

counted_pledge_months as (
    select
        pledge_months.*,
        patrons_with_several_pledges.patron_id is null as is_sole_pledge_of_patron
    from pledge_months
    left join patrons_with_several_pledges
        on
            pledge_months.creator_id = patrons_with_several_pledges.creator_id
            and pledge_months.patron_id = patrons_with_several_pledges.patron_id
),

sole_pledge_patron_months as (
    select
        counted_pledge_months.creator_id,
        counted_pledge_months.patron_id,
        counted_pledge_months.month_start_date,
        counted_pledge_months.is_active_at_month_end,
        counted_pledge_months.is_active_at_prior_month_end,
        counted_pledge_months.is_started_in_month as has_started_pledge,
        counted_pledge_months.is_ended_in_month as has_ended_pledge,
        counted_pledge_months.active_tier_rank,
        case when counted_pledge_months.is_active_at_month_end then 1 else 0 end as active_pledges,
        counted_pledge_months.gross_mrr_usd,
        counted_pledge_months.prior_gross_mrr_usd,
        counted_pledge_months.started_mrr_usd,
        counted_pledge_months.ended_mrr_usd
    from counted_pledge_months
    where counted_pledge_months.is_sole_pledge_of_patron
),

-- A patron with several active pledges counts once, at the highest tier.
several_pledges_patron_months as (
    select
        counted_pledge_months.creator_id,
        counted_pledge_months.patron_id,
        counted_pledge_months.month_start_date,
        bool_or(counted_pledge_months.is_active_at_month_end) as is_active_at_month_end,
        bool_or(counted_pledge_months.is_active_at_prior_month_end) as is_active_at_prior_month_end,
        bool_or(counted_pledge_months.is_started_in_month) as has_started_pledge,
        bool_or(counted_pledge_months.is_ended_in_month) as has_ended_pledge,
        max(counted_pledge_months.active_tier_rank) as active_tier_rank,
        count(case when counted_pledge_months.is_active_at_month_end then 1 end) as active_pledges,
        cast(sum(counted_pledge_months.gross_mrr_usd) as {{ money_type() }}) as gross_mrr_usd,
        cast(sum(counted_pledge_months.prior_gross_mrr_usd) as {{ money_type() }})
            as prior_gross_mrr_usd,
        cast(sum(counted_pledge_months.started_mrr_usd) as {{ money_type() }}) as started_mrr_usd,
        cast(sum(counted_pledge_months.ended_mrr_usd) as {{ money_type() }}) as ended_mrr_usd
    from counted_pledge_months
    where not counted_pledge_months.is_sole_pledge_of_patron
    group by 1, 2, 3
),

-- The two paths list the same columns in the same order.
patron_months as (
    select * from sole_pledge_patron_months
    union all
    select * from several_pledges_patron_months
),

-- New and churned are patron states: a tier switch ends one pledge and starts another
-- without the patron ever leaving, so it counts as neither. The MRR a new (churned) patron
-- brings (takes) is that of the pledges started (ended) in the month. Active at the end of
-- the previous month = active at the start of this one.
patron_states as (
    select
        patron_months.*,
        patron_months.has_started_pledge
        and not patron_months.is_active_at_prior_month_end as is_new,
        patron_months.has_ended_pledge
        and not patron_months.is_active_at_month_end as is_churned
    from patron_months
),

final as (
    select
        patron_states.creator_id,
        patron_states.patron_id,
        cast(patron_states.active_tier_rank as {{ dbt.type_int() }}) as active_tier_rank,
        patron_states.active_pledges,
        patron_states.gross_mrr_usd,
        patron_states.prior_gross_mrr_usd,
        case when patron_states.is_new then patron_states.started_mrr_usd else 0 end
            as new_mrr_usd,
        case when patron_states.is_churned then patron_states.ended_mrr_usd else 0 end
            as churned_mrr_usd,
        patron_states.is_active_at_month_end,
        patron_states.is_active_at_prior_month_end,
        patron_states.is_new,
        patron_states.is_churned,
        patron_states.month_start_date
    from patron_states
)

select * from final

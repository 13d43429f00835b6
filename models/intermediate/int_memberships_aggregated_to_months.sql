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

-- A patron's month is the sum of their pledges' months (int_pledges_joined_to_months
-- holds what each pledge brings). A patron with a single pledge to the creator (99 % of
-- patron-months) already has it as one row: only the others go through the group by,
-- which would otherwise be the pipeline's costliest step (DECISIONLOG.md P4).
sole_pledge_patron_months as (
    select
        pledge_months.creator_id,
        pledge_months.patron_id,
        pledge_months.month_start_date,
        pledge_months.is_active_at_month_end,
        pledge_months.is_active_at_prior_month_end,
        pledge_months.is_started_in_month as has_started_pledge,
        pledge_months.is_ended_in_month as has_ended_pledge,
        pledge_months.active_tier_rank,
        case when pledge_months.is_active_at_month_end then 1 else 0 end as active_pledges,
        pledge_months.gross_mrr_usd,
        pledge_months.prior_gross_mrr_usd,
        pledge_months.started_mrr_usd,
        pledge_months.ended_mrr_usd
    from pledge_months
    where pledge_months.is_sole_pledge_of_patron
),

-- A patron with several active pledges counts once, at the highest tier.
several_pledges_patron_months as (
    select
        pledge_months.creator_id,
        pledge_months.patron_id,
        pledge_months.month_start_date,
        bool_or(pledge_months.is_active_at_month_end) as is_active_at_month_end,
        bool_or(pledge_months.is_active_at_prior_month_end) as is_active_at_prior_month_end,
        bool_or(pledge_months.is_started_in_month) as has_started_pledge,
        bool_or(pledge_months.is_ended_in_month) as has_ended_pledge,
        max(pledge_months.active_tier_rank) as active_tier_rank,
        count(case when pledge_months.is_active_at_month_end then 1 end) as active_pledges,
        cast(sum(pledge_months.gross_mrr_usd) as {{ money_type() }}) as gross_mrr_usd,
        cast(sum(pledge_months.prior_gross_mrr_usd) as {{ money_type() }})
            as prior_gross_mrr_usd,
        cast(sum(pledge_months.started_mrr_usd) as {{ money_type() }}) as started_mrr_usd,
        cast(sum(pledge_months.ended_mrr_usd) as {{ money_type() }}) as ended_mrr_usd
    from pledge_months
    where not coalesce(pledge_months.is_sole_pledge_of_patron, false)
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

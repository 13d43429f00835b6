{#-
    Stand-in until the intermediate-models refactor lands (its version replaces this file and
    _int_memberships_standin.yml). Grain: one row per creator x patron x month in which the
    patron had a pledge to the creator overlapping the month, over each creator's months
    (the month it joined through the as-of month). Same pledge states as the mart's
    patron_months step.
-#}

with

creators as (
    select * from {{ ref('stg_creators') }}
),

pledges as (
    select * from {{ ref('stg_pledges') }}
),

tiers as (
    select * from {{ ref('stg_tiers') }}
),

transactions as (
    select * from {{ ref('stg_transactions') }}
),

as_of_month as (
    {{- as_of_month_query('transactions') }}
),

creator_month_bounds as (
    select
        creators.creator_id,
        {{ month_start('creators.created_at') }} as first_month_start_date,
        as_of_month.month_start_date as last_month_start_date
    from creators
    cross join as_of_month
),

creator_months as (
    {{ month_spine(
        'creator_month_bounds',
        'creator_id',
        'first_month_start_date',
        'last_month_start_date',
    ) }}
),

-- Month boundaries as timestamps: the pledge states are "as of an instant".
month_bounds as (
    select
        creator_months.creator_id,
        creator_months.month_start_date,
        cast(creator_months.month_start_date as {{ dbt.type_timestamp() }}) as month_start_at,
        cast(
            {{ dbt.dateadd('month', 1, 'creator_months.month_start_date') }}
            as {{ dbt.type_timestamp() }}
        ) as next_month_start_at
    from creator_months
),

-- Each pledge on every month it overlaps, with its states at the two month-end instants.
pledge_months as (
    select
        month_bounds.creator_id,
        month_bounds.month_start_date,
        pledges.patron_id,
        tiers.tier_rank,
        (pledges.ended_at is null or pledges.ended_at >= month_bounds.next_month_start_at)
        and (
            pledges.pause_started_at is null
            or pledges.pause_started_at >= month_bounds.next_month_start_at
        ) as is_active_at_month_end,
        pledges.started_at < month_bounds.month_start_at
        and (
            pledges.pause_started_at is null
            or pledges.pause_started_at >= month_bounds.month_start_at
        ) as is_active_at_prior_month_end,
        pledges.started_at >= month_bounds.month_start_at as is_started_in_month,
        coalesce(pledges.ended_at < month_bounds.next_month_start_at, false) as is_ended_in_month
    from month_bounds
    inner join pledges
        on
            month_bounds.creator_id = pledges.creator_id
            and pledges.started_at < month_bounds.next_month_start_at
            and (pledges.ended_at is null or pledges.ended_at >= month_bounds.month_start_at)
    left join tiers
        on pledges.tier_id = tiers.tier_id
),

-- A tier switch ends one pledge and starts another: the patron is neither new nor churned.
final as (
    select
        pledge_months.creator_id,
        pledge_months.patron_id,
        pledge_months.month_start_date,
        {{ dbt.bool_or('pledge_months.is_active_at_month_end') }} as is_active_at_month_end,
        {{ dbt.bool_or('pledge_months.is_active_at_prior_month_end') }}
            as is_active_at_prior_month_end,
        {{ dbt.bool_or('pledge_months.is_started_in_month') }}
        and not {{ dbt.bool_or('pledge_months.is_active_at_prior_month_end') }} as is_new,
        {{ dbt.bool_or('pledge_months.is_ended_in_month') }}
        and not {{ dbt.bool_or('pledge_months.is_active_at_month_end') }} as is_churned,
        -- a patron with several active pledges counts once, at the highest tier
        max(case when pledge_months.is_active_at_month_end then pledge_months.tier_rank end)
            as active_tier_rank
    from pledge_months
    group by 1, 2, 3
)

select * from final

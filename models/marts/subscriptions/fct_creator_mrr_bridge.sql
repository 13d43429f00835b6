-- One row per creator per month of the spine: the MRR bridge from the month's opening MRR
-- to its closing MRR through the five movements of the creator's patrons (docs block
-- mrr_movements). Months without a movement are 0 to 0, never missing rows.

with

movements as (
    select * from {{ ref('int_memberships_classified_by_mrr_movement') }}
),

spine as (
    select * from {{ ref('int_creators_spined_to_months') }}
),

as_of_month as (
    select
        max(spine.month_start_date) as month_start_date,
        cast({{ dbt.dateadd('month', -1, 'max(spine.month_start_date)') }} as date)
            as previous_month_start_date
    from spine
),

creator_movements as (
    select
        movements.creator_id,
        movements.month_start_date,
        cast(sum(movements.opening_mrr_usd) as {{ money_type() }}) as opening_mrr_usd,
        cast(sum(movements.new_business_mrr_usd) as {{ money_type() }}) as new_business_mrr_usd,
        cast(sum(movements.expansion_mrr_usd) as {{ money_type() }}) as expansion_mrr_usd,
        cast(sum(movements.contraction_mrr_usd) as {{ money_type() }}) as contraction_mrr_usd,
        cast(sum(movements.reactivation_mrr_usd) as {{ money_type() }}) as reactivation_mrr_usd,
        cast(sum(movements.churn_mrr_usd) as {{ money_type() }}) as churn_mrr_usd,
        cast(sum(movements.closing_mrr_usd) as {{ money_type() }}) as closing_mrr_usd
    from movements
    group by 1, 2
),

final as (
    select
        spine.creator_id,
        spine.month_start_date,
        -- The as-of month is still in progress: its pledges can still start, pause or end.
        spine.month_start_date < as_of_month.month_start_date as is_complete_month,
        spine.month_start_date = as_of_month.previous_month_start_date
            as is_latest_complete_month,
        coalesce(creator_movements.opening_mrr_usd, 0) as opening_mrr_usd,
        coalesce(creator_movements.new_business_mrr_usd, 0) as new_business_mrr_usd,
        coalesce(creator_movements.expansion_mrr_usd, 0) as expansion_mrr_usd,
        coalesce(creator_movements.contraction_mrr_usd, 0) as contraction_mrr_usd,
        coalesce(creator_movements.reactivation_mrr_usd, 0) as reactivation_mrr_usd,
        coalesce(creator_movements.churn_mrr_usd, 0) as churn_mrr_usd,
        coalesce(creator_movements.closing_mrr_usd, 0) as closing_mrr_usd,
        {{ creator_month_id('spine.creator_id', 'spine.month_start_date') }} as creator_month_id
    from spine
    cross join as_of_month
    left join creator_movements
        on
            spine.creator_id = creator_movements.creator_id
            and spine.month_start_date = creator_movements.month_start_date
)

select * from final

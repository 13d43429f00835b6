-- One row per month: the platform's MRR bridge, the creators' bridges added up. A movement
-- is a membership's (a patron with a creator), so a patron who leaves one creator for
-- another is churn at the first and new business at the second here too.

with

creator_bridges as (
    select * from {{ ref('fct_creator_mrr_bridge') }}
),

final as (
    select
        creator_bridges.month_start_date,
        creator_bridges.is_complete_month,
        creator_bridges.is_latest_complete_month,
        cast(sum(creator_bridges.opening_mrr_usd) as {{ money_type() }}) as opening_mrr_usd,
        cast(sum(creator_bridges.new_business_mrr_usd) as {{ money_type() }})
            as new_business_mrr_usd,
        cast(sum(creator_bridges.expansion_mrr_usd) as {{ money_type() }}) as expansion_mrr_usd,
        cast(sum(creator_bridges.contraction_mrr_usd) as {{ money_type() }}) as contraction_mrr_usd,
        cast(sum(creator_bridges.reactivation_mrr_usd) as {{ money_type() }})
            as reactivation_mrr_usd,
        cast(sum(creator_bridges.churn_mrr_usd) as {{ money_type() }}) as churn_mrr_usd,
        cast(sum(creator_bridges.closing_mrr_usd) as {{ money_type() }}) as closing_mrr_usd
    from creator_bridges
    group by 1, 2, 3
)

select * from final

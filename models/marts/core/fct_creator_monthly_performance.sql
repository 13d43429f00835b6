-- One row per creator per calendar month, from the month the creator joined through the
-- as-of month, with no gaps. The metrics come from int_metrics_joined_to_creator_months
-- (kept up to date incrementally); this model adds the rates, the health bands and the
-- creator's current attributes. Metric definitions: the docs blocks in _marts__docs.md.

with

creator_months as (
    select * from {{ ref('int_metrics_joined_to_creator_months') }}
),

creators as (
    select * from {{ ref('dim_creators') }}
),

-- Every creator's spine ends at the as-of month (var as_of_date, else the latest payment's).
as_of_month as (
    select
        max(spine.month_start_date) as month_start_date,
        cast({{ dbt.dateadd('month', -1, 'max(spine.month_start_date)') }} as date)
            as previous_month_start_date
    from {{ ref('int_creators_spined_to_months') }} as spine
),

-- The month's flags, the creator's current attributes (dim_creators, joined here so that a
-- change never has to be written into the stored months), the stored metrics and their
-- rates, in the contract's column order. Rates are NULL, not 0, when there is nothing to
-- divide by (safe_percentage).
metrics as (
    select
        creator_months.month_start_date,
        -- The as-of month is still in progress (pending payments, pledges that can still
        -- change), so it is never complete, even once its last calendar day has passed.
        creator_months.month_start_date < as_of_month.month_start_date as is_complete_month,
        -- What dashboards and analyses mean by "the latest month", flagged once here.
        creator_months.month_start_date = as_of_month.previous_month_start_date
            as is_latest_complete_month,
        creators.creator_id,
        creators.creator_name,
        creators.creator_category,
        creators.creator_subcategory,
        creators.plan_type,
        creators.country_code,
        creators.creator_status,
        creator_months.total_patrons,
        creator_months.active_patrons,
        creator_months.new_patrons,
        creator_months.churned_patrons,
        creator_months.new_patrons - creator_months.churned_patrons as net_patron_change,
        {{ safe_percentage(
            'creator_months.churned_patrons',
            'creator_months.prior_active_patrons + creator_months.new_patrons',
        ) }} as patron_churn_rate_pct,
        creator_months.gross_mrr_usd,
        creator_months.new_mrr_usd,
        creator_months.churned_mrr_usd,
        cast(
            creator_months.gross_mrr_usd - creator_months.prior_gross_mrr_usd
            as {{ money_type() }}
        ) as mrr_change_usd,
        {{ safe_percentage(
            'creator_months.gross_mrr_usd - creator_months.prior_gross_mrr_usd',
            'creator_months.prior_gross_mrr_usd',
        ) }} as mrr_growth_rate_pct,
        creator_months.gross_revenue_usd,
        creator_months.platform_fees_usd,
        creator_months.processing_fees_usd,
        creator_months.net_creator_earnings_usd,
        {{ safe_percentage(
            'creator_months.collected_amount_usd',
            'creator_months.collected_amount_usd + creator_months.declined_amount_usd',
        ) }} as collection_rate_pct,
        creator_months.successful_transactions,
        creator_months.failed_transactions,
        creator_months.declined_amount_usd,
        {{ safe_percentage(
            'creator_months.failed_transactions',
            'creator_months.successful_transactions + creator_months.failed_transactions',
        ) }} as decline_rate_pct,
        creator_months.tier_1_patrons,
        creator_months.tier_2_patrons,
        creator_months.tier_3_plus_patrons,
        case
            when creator_months.active_pledges > 0
                then
                    cast(
                        round(creator_months.gross_mrr_usd / creator_months.active_pledges, 2)
                        as {{ money_type() }}
                    )
        end as avg_pledge_amount_usd,
        creator_months.posts_published,
        creator_months.paywalled_posts,
        creator_months.free_posts,
        creator_months.total_views,
        creator_months.total_likes,
        creator_months.total_comments,
        creator_months.engaged_patrons,
        creator_months.total_engagement_score,
        {{ safe_percentage('creator_months.engaged_patrons', 'creator_months.total_patrons') }}
            as patron_engagement_rate_pct,
        {{ safe_percentage(
            'creator_months.platform_fees_usd',
            'creator_months.gross_revenue_usd',
        ) }} as platform_take_rate_pct
    from creator_months
    inner join creators
        on creator_months.creator_id = creators.creator_id
    cross join as_of_month
),

-- The health bands of the rates.
final as (
    select
        metrics.*,
        {{ health_status(
            'metrics.patron_churn_rate_pct',
            var('churn_rate_warning_pct'),
            var('churn_rate_critical_pct'),
        ) }} as churn_health,
        {{ health_status(
            'metrics.collection_rate_pct',
            var('collection_rate_warning_pct'),
            var('collection_rate_critical_pct'),
            higher_is_better=true,
        ) }} as collection_health,
        {{ health_status(
            'metrics.decline_rate_pct',
            var('decline_rate_warning_pct'),
            var('decline_rate_critical_pct'),
        ) }} as decline_health,
        {{ creator_month_id('metrics.creator_id', 'metrics.month_start_date') }}
            as creator_month_id
    from metrics
)

select * from final

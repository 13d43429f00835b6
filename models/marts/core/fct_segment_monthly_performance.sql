-- One row per month and segment (the platform, each plan, each creator category): the
-- mart's counts and amounts added up over the segment's creators and its rates pooled
-- (sum over sum), the one place the dashboards read them from, so no dashboard query
-- types a rate again (docs/dashboards.md).

with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

-- Each creator-month once per kind of segment it belongs to.
segmented as (
    select
        'platform' as segment_type,
        'all creators' as segment,
        performance.*
    from performance
    union all
    select
        'plan_type' as segment_type,
        performance.plan_type as segment,
        performance.*
    from performance
    union all
    select
        'creator_category' as segment_type,
        performance.creator_category as segment,
        performance.*
    from performance
),

-- The segment's counts and amounts, its rates as if it were one creator (DECISIONLOG.md
-- M13), and the share of the rated creators (a NULL rate has no band) in the healthy band.
final as (
    select
        segmented.month_start_date,
        -- The month's flags, the same on all its rows.
        segmented.is_complete_month,
        segmented.is_latest_complete_month,
        segmented.segment_type,
        segmented.segment,
        count(*) as creators,
        -- A creator is active in a month with an active patron, not merely signed up.
        count(case when segmented.active_patrons > 0 then 1 end) as active_creators,
        cast(sum(segmented.total_patrons) as bigint) as total_patrons,
        cast(sum(segmented.active_patrons) as bigint) as active_patrons,
        cast(sum(segmented.new_patrons) as bigint) as new_patrons,
        cast(sum(segmented.churned_patrons) as bigint) as churned_patrons,
        cast(sum(segmented.gross_mrr_usd) as {{ money_type() }}) as gross_mrr_usd,
        cast(sum(segmented.new_mrr_usd) as {{ money_type() }}) as new_mrr_usd,
        cast(sum(segmented.churned_mrr_usd) as {{ money_type() }}) as churned_mrr_usd,
        cast(sum(segmented.gross_revenue_usd) as {{ money_type() }}) as gross_revenue_usd,
        cast(sum(segmented.platform_fees_usd) as {{ money_type() }}) as platform_fees_usd,
        cast(sum(segmented.net_creator_earnings_usd) as {{ money_type() }})
            as net_creator_earnings_usd,
        cast(sum(segmented.successful_transactions) as bigint) as successful_transactions,
        cast(sum(segmented.failed_transactions) as bigint) as failed_transactions,
        cast(sum(segmented.posts_published) as bigint) as posts_published,
        cast(sum(segmented.paywalled_posts) as bigint) as paywalled_posts,
        cast(sum(segmented.free_posts) as bigint) as free_posts,
        cast(sum(segmented.total_views) as bigint) as total_views,
        cast(sum(segmented.total_likes) as bigint) as total_likes,
        cast(sum(segmented.total_comments) as bigint) as total_comments,
        cast(sum(segmented.engaged_patrons) as bigint) as engaged_patrons,
        count(
            case
                when
                    segmented.churn_health = 'critical'
                    or segmented.collection_health = 'critical'
                    or segmented.decline_health = 'critical'
                    then 1
            end
        ) as critical_creators,
        {{ safe_percentage(
            'sum(segmented.platform_fees_usd)', 'sum(segmented.gross_revenue_usd)'
        ) }} as platform_take_rate_pct,
        {{ safe_percentage('sum(segmented.engaged_patrons)', 'sum(segmented.total_patrons)') }}
            as patron_engagement_rate_pct,
        {{ safe_percentage(
            'sum(segmented.failed_transactions)',
            'sum(segmented.successful_transactions) + sum(segmented.failed_transactions)',
        ) }} as decline_rate_pct,
        {{ safe_percentage(
            "count(case when segmented.churn_health = 'healthy' then 1 end)",
            'count(segmented.churn_health)',
        ) }} as churn_healthy_creators_pct,
        {{ safe_percentage(
            "count(case when segmented.collection_health = 'healthy' then 1 end)",
            'count(segmented.collection_health)',
        ) }} as collection_healthy_creators_pct,
        {{ safe_percentage(
            "count(case when segmented.decline_health = 'healthy' then 1 end)",
            'count(segmented.decline_health)',
        ) }} as decline_healthy_creators_pct
    from segmented
    group by 1, 2, 3, 4, 5
)

select * from final

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

segment_months as (
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
        sum(segmented.total_patrons) as total_patrons,
        sum(segmented.active_patrons) as active_patrons,
        sum(segmented.new_patrons) as new_patrons,
        sum(segmented.churned_patrons) as churned_patrons,
        sum(segmented.gross_mrr_usd) as gross_mrr_usd,
        sum(segmented.new_mrr_usd) as new_mrr_usd,
        sum(segmented.churned_mrr_usd) as churned_mrr_usd,
        sum(segmented.gross_revenue_usd) as gross_revenue_usd,
        sum(segmented.platform_fees_usd) as platform_fees_usd,
        sum(segmented.net_creator_earnings_usd) as net_creator_earnings_usd,
        sum(segmented.successful_transactions) as successful_transactions,
        sum(segmented.failed_transactions) as failed_transactions,
        sum(segmented.posts_published) as posts_published,
        sum(segmented.paywalled_posts) as paywalled_posts,
        sum(segmented.free_posts) as free_posts,
        sum(segmented.total_views) as total_views,
        sum(segmented.total_likes) as total_likes,
        sum(segmented.total_comments) as total_comments,
        sum(segmented.engaged_patrons) as engaged_patrons,
        -- Creators with a band (a NULL rate has none) and those healthy or critical.
        count(segmented.churn_health) as churn_rated_creators,
        count(case when segmented.churn_health = 'healthy' then 1 end)
            as churn_healthy_creators,
        count(segmented.collection_health) as collection_rated_creators,
        count(case when segmented.collection_health = 'healthy' then 1 end)
            as collection_healthy_creators,
        count(segmented.decline_health) as decline_rated_creators,
        count(case when segmented.decline_health = 'healthy' then 1 end)
            as decline_healthy_creators,
        count(
            case
                when
                    segmented.churn_health = 'critical'
                    or segmented.collection_health = 'critical'
                    or segmented.decline_health = 'critical'
                    then 1
            end
        ) as critical_creators
    from segmented
    group by 1, 2, 3, 4, 5
),

-- The rates of the segment as if it were one creator (DECISIONLOG.md M13), and the share
-- of rated creators in the healthy band.
final as (
    select
        segment_months.month_start_date,
        segment_months.is_complete_month,
        segment_months.is_latest_complete_month,
        segment_months.segment_type,
        segment_months.segment,
        {{ to_count('segment_months.creators') }} as creators,
        {{ to_count('segment_months.active_creators') }} as active_creators,
        {{ to_count('segment_months.total_patrons') }} as total_patrons,
        {{ to_count('segment_months.active_patrons') }} as active_patrons,
        {{ to_count('segment_months.new_patrons') }} as new_patrons,
        {{ to_count('segment_months.churned_patrons') }} as churned_patrons,
        {{ to_money('segment_months.gross_mrr_usd') }} as gross_mrr_usd,
        {{ to_money('segment_months.new_mrr_usd') }} as new_mrr_usd,
        {{ to_money('segment_months.churned_mrr_usd') }} as churned_mrr_usd,
        {{ to_money('segment_months.gross_revenue_usd') }} as gross_revenue_usd,
        {{ to_money('segment_months.platform_fees_usd') }} as platform_fees_usd,
        {{ to_money('segment_months.net_creator_earnings_usd') }} as net_creator_earnings_usd,
        {{ to_count('segment_months.successful_transactions') }} as successful_transactions,
        {{ to_count('segment_months.failed_transactions') }} as failed_transactions,
        {{ to_count('segment_months.posts_published') }} as posts_published,
        {{ to_count('segment_months.paywalled_posts') }} as paywalled_posts,
        {{ to_count('segment_months.free_posts') }} as free_posts,
        {{ to_count('segment_months.total_views') }} as total_views,
        {{ to_count('segment_months.total_likes') }} as total_likes,
        {{ to_count('segment_months.total_comments') }} as total_comments,
        {{ to_count('segment_months.engaged_patrons') }} as engaged_patrons,
        {{ to_count('segment_months.critical_creators') }} as critical_creators,
        {{ safe_percentage(
            'segment_months.platform_fees_usd', 'segment_months.gross_revenue_usd'
        ) }} as platform_take_rate_pct,
        {{ safe_percentage('segment_months.engaged_patrons', 'segment_months.total_patrons') }}
            as patron_engagement_rate_pct,
        {{ safe_percentage(
            'segment_months.failed_transactions',
            'segment_months.successful_transactions + segment_months.failed_transactions',
        ) }} as decline_rate_pct,
        {{ safe_percentage(
            'segment_months.churn_healthy_creators', 'segment_months.churn_rated_creators'
        ) }} as churn_healthy_creators_pct,
        {{ safe_percentage(
            'segment_months.collection_healthy_creators',
            'segment_months.collection_rated_creators',
        ) }} as collection_healthy_creators_pct,
        {{ safe_percentage(
            'segment_months.decline_healthy_creators', 'segment_months.decline_rated_creators'
        ) }} as decline_healthy_creators_pct
    from segment_months
)

select * from final

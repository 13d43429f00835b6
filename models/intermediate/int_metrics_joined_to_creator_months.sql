-- One row per creator per month of the spine: every count and amount of the month, zero
-- when nothing happened, and the month's opening state. Metrics only: the creator's
-- attributes are joined in the mart, so a renamed creator never rewrites this table.
-- Incremental by month: docs/pipeline.md#incremental-refresh.
-- depends_on: {{ ref('staging_audit_gate') }}
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

spine as (
    select * from {{ ref('int_creators_spined_to_months') }}
    {{- where_in_window(window_start) }}
),

memberships as (
    select * from {{ ref('int_memberships_aggregated_to_months') }}
    {{- where_in_window(window_start) }}
),

-- The patrons of each creator-month, read apart from `memberships`: DuckDB materializes a
-- CTE that is read twice.
patron_months as (
    select
        creator_id,
        patron_id,
        month_start_date
    from {{ ref('int_memberships_aggregated_to_months') }}
    {{- where_in_window(window_start) }}
),

-- A refresh reads the facts from the window's first instant on, filtered on the fact's own
-- timestamp: a filter on the month derived from it would read every row to derive it.
transactions as (
    select * from {{ ref('int_transactions_classified') }}
    {{- where_in_window(window_start, 'transaction_at') }}
),

posts as (
    select * from {{ ref('stg_posts') }}
    {{- where_in_window(window_start, 'published_at') }}
),

engagement_events as (
    select * from {{ ref('stg_engagement_events') }}
    {{- where_in_window(window_start, 'event_at') }}
),

membership_months as (
    select
        memberships.creator_id,
        memberships.month_start_date,
        count(*) as total_patrons,
        count(case when memberships.is_active_at_month_end then 1 end) as active_patrons,
        count(case when memberships.is_new then 1 end) as new_patrons,
        count(case when memberships.is_churned then 1 end) as churned_patrons,
        count(case when memberships.is_active_at_prior_month_end then 1 end)
            as prior_active_patrons,
        count(case when memberships.active_tier_rank = 1 then 1 end) as tier_1_patrons,
        count(case when memberships.active_tier_rank = 2 then 1 end) as tier_2_patrons,
        count(case when memberships.active_tier_rank >= 3 then 1 end)
            as tier_3_plus_patrons,
        cast(sum(memberships.active_pledges) as bigint) as active_pledges,
        cast(sum(memberships.gross_mrr_usd) as {{ money_type() }}) as gross_mrr_usd,
        cast(sum(memberships.prior_gross_mrr_usd) as {{ money_type() }}) as prior_gross_mrr_usd,
        cast(sum(memberships.new_mrr_usd) as {{ money_type() }}) as new_mrr_usd,
        cast(sum(memberships.churned_mrr_usd) as {{ money_type() }}) as churned_mrr_usd
    from memberships
    group by 1, 2
),

-- Revenue, fees and payment health: sums of the classified transactions (the rules live
-- in int_transactions_classified).
transaction_months as (
    select
        transactions.creator_id,
        transactions.transaction_month as month_start_date,
        cast(sum(transactions.gross_revenue_usd) as {{ money_type() }}) as gross_revenue_usd,
        cast(sum(transactions.platform_fees_usd) as {{ money_type() }}) as platform_fees_usd,
        cast(sum(transactions.processing_fees_usd) as {{ money_type() }}) as processing_fees_usd,
        cast(sum(transactions.net_creator_earnings_usd) as {{ money_type() }})
            as net_creator_earnings_usd,
        cast(sum(transactions.collected_amount_usd) as {{ money_type() }}) as collected_amount_usd,
        count(case when transactions.is_collected then 1 end) as successful_transactions,
        count(case when transactions.is_failed then 1 end) as failed_transactions,
        cast(sum(transactions.declined_amount_usd) as {{ money_type() }}) as declined_amount_usd
    from transactions
    group by 1, 2
),

-- Content output: a public post is free; patron-only and tier-specific posts are paywalled.
post_months as (
    select
        posts.creator_id,
        posts.published_month as month_start_date,
        count(*) as posts_published,
        count(case when posts.access_level in ('patron_only', 'tier_specific') then 1 end)
            as paywalled_posts,
        count(case when posts.access_level = 'public' then 1 end) as free_posts
    from posts
    group by 1, 2
),

event_months as (
    select
        engagement_events.creator_id,
        engagement_events.event_month as month_start_date,
        count(case when engagement_events.event_type = 'view' then 1 end) as total_views,
        count(case when engagement_events.event_type = 'like' then 1 end) as total_likes,
        count(case when engagement_events.event_type = 'comment' then 1 end)
            as total_comments,
        cast(sum(engagement_events.engagement_weight) as bigint) as total_engagement_score
    from engagement_events
    group by 1, 2
),

engaging_patron_months as (
    select distinct
        engagement_events.creator_id,
        engagement_events.patron_id,
        engagement_events.event_month as month_start_date
    from engagement_events
),

-- Only patrons of the creator in the month count as engaged, so the engagement rate over
-- total_patrons stays <= 100 %.
engaged_patron_months as (
    select
        engaging_patron_months.creator_id,
        engaging_patron_months.month_start_date,
        count(*) as engaged_patrons
    from engaging_patron_months
    inner join patron_months
        on
            engaging_patron_months.creator_id = patron_months.creator_id
            and engaging_patron_months.patron_id = patron_months.patron_id
            and engaging_patron_months.month_start_date = patron_months.month_start_date
    group by 1, 2
),

-- A month without activity is a real month with zeros, not a missing row. The previous
-- month's closing state is this month's opening state, from the same pledge rows: no lag
-- over earlier rows, so each row depends on its own month only (what lets a refresh read
-- nothing before its window). Before a creator's first month there was nothing (0).
final as (
    select
        spine.creator_id,
        spine.month_start_date,
        case
            when spine.is_first_month then 0
            else coalesce(membership_months.prior_active_patrons, 0)
        end as prior_active_patrons,
        coalesce(membership_months.total_patrons, 0) as total_patrons,
        coalesce(membership_months.active_patrons, 0) as active_patrons,
        coalesce(membership_months.new_patrons, 0) as new_patrons,
        coalesce(membership_months.churned_patrons, 0) as churned_patrons,
        coalesce(membership_months.tier_1_patrons, 0) as tier_1_patrons,
        coalesce(membership_months.tier_2_patrons, 0) as tier_2_patrons,
        coalesce(membership_months.tier_3_plus_patrons, 0) as tier_3_plus_patrons,
        coalesce(membership_months.active_pledges, 0) as active_pledges,
        coalesce(transaction_months.successful_transactions, 0) as successful_transactions,
        coalesce(transaction_months.failed_transactions, 0) as failed_transactions,
        coalesce(post_months.posts_published, 0) as posts_published,
        coalesce(post_months.paywalled_posts, 0) as paywalled_posts,
        coalesce(post_months.free_posts, 0) as free_posts,
        coalesce(event_months.total_views, 0) as total_views,
        coalesce(event_months.total_likes, 0) as total_likes,
        coalesce(event_months.total_comments, 0) as total_comments,
        coalesce(event_months.total_engagement_score, 0) as total_engagement_score,
        coalesce(engaged_patron_months.engaged_patrons, 0) as engaged_patrons,
        case
            when spine.is_first_month then 0
            else coalesce(membership_months.prior_gross_mrr_usd, 0)
        end as prior_gross_mrr_usd,
        coalesce(membership_months.gross_mrr_usd, 0) as gross_mrr_usd,
        coalesce(membership_months.new_mrr_usd, 0) as new_mrr_usd,
        coalesce(membership_months.churned_mrr_usd, 0) as churned_mrr_usd,
        coalesce(transaction_months.gross_revenue_usd, 0) as gross_revenue_usd,
        coalesce(transaction_months.platform_fees_usd, 0) as platform_fees_usd,
        coalesce(transaction_months.processing_fees_usd, 0) as processing_fees_usd,
        coalesce(transaction_months.net_creator_earnings_usd, 0) as net_creator_earnings_usd,
        coalesce(transaction_months.collected_amount_usd, 0) as collected_amount_usd,
        coalesce(transaction_months.declined_amount_usd, 0) as declined_amount_usd
    from spine
    left join membership_months
        on
            spine.creator_id = membership_months.creator_id
            and spine.month_start_date = membership_months.month_start_date
    left join transaction_months
        on
            spine.creator_id = transaction_months.creator_id
            and spine.month_start_date = transaction_months.month_start_date
    left join post_months
        on
            spine.creator_id = post_months.creator_id
            and spine.month_start_date = post_months.month_start_date
    left join event_months
        on
            spine.creator_id = event_months.creator_id
            and spine.month_start_date = event_months.month_start_date
    left join engaged_patron_months
        on
            spine.creator_id = engaged_patron_months.creator_id
            and spine.month_start_date = engaged_patron_months.month_start_date
)

select * from final

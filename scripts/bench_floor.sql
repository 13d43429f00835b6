-- The practical floor for the mart's pipeline (scripts/benchmark.py): two DuckDB statements
-- that store what the pipeline stores for its readers, computed by hand straight from the raw
-- tables: the patron grain (the rows and columns of int_memberships_aggregated_to_months) and
-- the mart's rows (fct_creator_monthly_performance), with DuckDB-only shortcuts the portable
-- models cannot use (generate_series per pledge instead of a range join against the month
-- spine, FILTER clauses, one pass per source table, a lag() for the previous month). The casts
-- parse a text landing and do nothing on a typed one.
-- {as_of_month} is replaced with the as-of month ('YYYY-MM-01') before running.

create or replace table bench.floor_patron_months as

with

creators as (
    select
        creator_id,
        cast(date_trunc('month', cast(created_at as timestamp)) as date) as first_month
    from analytics_raw.creators
),

pledges as (
    select
        pledges.creator_id,
        pledges.patron_id,
        cast(pledges.pledge_amount_usd as decimal(18, 2)) as amount,
        cast(tiers.tier_rank as integer) as tier_rank,
        cast(pledges.started_at as timestamp) as started_at,
        cast(pledges.ended_at as timestamp) as ended_at,
        cast(pledges.pause_started_at as timestamp) as pause_started_at
    from analytics_raw.pledges as pledges
    left join analytics_raw.tiers as tiers on pledges.tier_id = tiers.tier_id
),

-- Each pledge on every month from its start to its end (or the as-of month).
pledge_months as (
    select
        pledges.*,
        cast(
            unnest(generate_series(
                date_trunc('month', pledges.started_at),
                least(
                    date_trunc('month', coalesce(pledges.ended_at, date '{as_of_month}')),
                    date '{as_of_month}'
                ),
                interval 1 month
            )) as date
        ) as month_start_date
    from pledges
),

-- Months before the creator joined are not reported.
flagged as (
    select
        pledge_months.creator_id,
        pledge_months.month_start_date,
        pledge_months.patron_id,
        pledge_months.amount,
        pledge_months.tier_rank,
        (
            pledge_months.ended_at is null
            or pledge_months.ended_at >= pledge_months.month_start_date + interval 1 month
        )
        and (
            pledge_months.pause_started_at is null
            or pledge_months.pause_started_at >= pledge_months.month_start_date + interval 1 month
        ) as active_end,
        pledge_months.started_at < pledge_months.month_start_date
        and (
            pledge_months.pause_started_at is null
            or pledge_months.pause_started_at >= pledge_months.month_start_date
        ) as active_prior,
        pledge_months.started_at >= pledge_months.month_start_date as started,
        coalesce(
            pledge_months.ended_at < pledge_months.month_start_date + interval 1 month, false
        ) as ended
    from pledge_months
    inner join creators
        on pledge_months.creator_id = creators.creator_id
        and pledge_months.month_start_date >= creators.first_month
),

patron_months as (
    select
        creator_id,
        patron_id,
        month_start_date,
        bool_or(active_end) as is_active_at_month_end,
        bool_or(active_prior) as is_active_at_prior_month_end,
        bool_or(started) as has_started_pledge,
        bool_or(ended) as has_ended_pledge,
        max(tier_rank) filter (where active_end) as active_tier_rank,
        count(*) filter (where active_end) as active_pledges,
        coalesce(sum(amount) filter (where active_end), 0) as gross_mrr,
        coalesce(sum(amount) filter (where active_prior), 0) as prior_gross_mrr,
        coalesce(sum(amount) filter (where started), 0) as started_mrr,
        coalesce(sum(amount) filter (where ended), 0) as ended_mrr
    from flagged
    group by all
)

select
    creator_id,
    patron_id,
    cast(active_tier_rank as integer) as active_tier_rank,
    cast(active_pledges as bigint) as active_pledges,
    cast(gross_mrr as decimal(18, 2)) as gross_mrr_usd,
    cast(prior_gross_mrr as decimal(18, 2)) as prior_gross_mrr_usd,
    cast(
        case
            when has_started_pledge and not is_active_at_prior_month_end then started_mrr else 0
        end as decimal(18, 2)
    ) as new_mrr_usd,
    cast(
        case when has_ended_pledge and not is_active_at_month_end then ended_mrr else 0 end
        as decimal(18, 2)
    ) as churned_mrr_usd,
    is_active_at_month_end,
    is_active_at_prior_month_end,
    has_started_pledge and not is_active_at_prior_month_end as is_new,
    has_ended_pledge and not is_active_at_month_end as is_churned,
    month_start_date
from patron_months;

create or replace table bench.floor as

with

creators as (
    select
        creator_id,
        creator_name,
        category,
        subcategory,
        plan_type,
        country_code,
        status,
        cast(date_trunc('month', cast(created_at as timestamp)) as date) as first_month
    from analytics_raw.creators
),

spine as (
    select
        creators.creator_id,
        cast(
            unnest(generate_series(creators.first_month, date '{as_of_month}', interval 1 month))
            as date
        ) as month_start_date
    from creators
),

patron_metrics as (
    select
        creator_id,
        month_start_date,
        count(*) as total_patrons,
        count(*) filter (where is_active_at_month_end) as active_patrons,
        count(*) filter (where is_new) as new_patrons,
        count(*) filter (where is_churned) as churned_patrons,
        count(*) filter (where active_tier_rank = 1) as tier_1_patrons,
        count(*) filter (where active_tier_rank = 2) as tier_2_patrons,
        count(*) filter (where active_tier_rank >= 3) as tier_3_plus_patrons,
        sum(gross_mrr_usd) as gross_mrr_usd,
        sum(active_pledges) as active_pledges,
        sum(new_mrr_usd) as new_mrr_usd,
        sum(churned_mrr_usd) as churned_mrr_usd
    from bench.floor_patron_months
    group by all
),

transactions as (
    select
        creator_id,
        cast(date_trunc('month', cast(transaction_at as timestamp)) as date) as month_start_date,
        cast(gross_amount_usd as decimal(18, 2)) as gross,
        cast(platform_fee_usd as decimal(18, 2)) as platform_fee,
        cast(processing_fee_usd as decimal(18, 2)) as processing_fee,
        cast(net_amount_usd as decimal(18, 2)) as net,
        case
            when transaction_type = 'pledge_payment' and transaction_status in ('succeeded', 'refunded')
                then 1
            when transaction_type in ('refund', 'chargeback') and transaction_status = 'succeeded'
                then -1
            else 0
        end as sign,
        transaction_type = 'pledge_payment' and transaction_status = 'failed' as is_failed
    from analytics_raw.transactions
),

money_metrics as (
    select
        creator_id,
        month_start_date,
        sum(sign * gross) as gross_revenue_usd,
        sum(sign * platform_fee) as platform_fees_usd,
        sum(sign * processing_fee) as processing_fees_usd,
        sum(sign * net) as net_creator_earnings_usd,
        coalesce(sum(gross) filter (where sign = 1), 0) as collected_amount_usd,
        count(*) filter (where sign = 1) as successful_transactions,
        count(*) filter (where is_failed) as failed_transactions,
        coalesce(sum(gross) filter (where is_failed), 0) as declined_amount_usd
    from transactions
    group by all
),

content_metrics as (
    select
        creator_id,
        cast(date_trunc('month', cast(published_at as timestamp)) as date) as month_start_date,
        count(*) as posts_published,
        count(*) filter (where access_level in ('patron_only', 'tier_specific')) as paywalled_posts,
        count(*) filter (where access_level = 'public') as free_posts
    from analytics_raw.posts
    group by all
),

events as (
    select
        creator_id,
        patron_id,
        event_type,
        cast(date_trunc('month', cast(event_at as timestamp)) as date) as month_start_date
    from analytics_raw.engagement_events
),

engagement_metrics as (
    select
        creator_id,
        month_start_date,
        count(*) filter (where event_type = 'view') as total_views,
        count(*) filter (where event_type = 'like') as total_likes,
        count(*) filter (where event_type = 'comment') as total_comments,
        sum(
            case event_type
                when 'view' then 1 when 'like' then 3 when 'comment' then 5 when 'share' then 7
                when 'unlike' then 0
            end
        ) as total_engagement_score
    from events
    group by all
),

engaged_patron_metrics as (
    select
        events.creator_id,
        events.month_start_date,
        count(distinct events.patron_id) as engaged_patrons
    from events
    semi join bench.floor_patron_months as patron_months
        on events.creator_id = patron_months.creator_id
        and events.month_start_date = patron_months.month_start_date
        and events.patron_id = patron_months.patron_id
    group by all
),

monthly as (
    select
        spine.creator_id,
        spine.month_start_date,
        coalesce(patron_metrics.total_patrons, 0) as total_patrons,
        coalesce(patron_metrics.active_patrons, 0) as active_patrons,
        coalesce(patron_metrics.new_patrons, 0) as new_patrons,
        coalesce(patron_metrics.churned_patrons, 0) as churned_patrons,
        coalesce(patron_metrics.tier_1_patrons, 0) as tier_1_patrons,
        coalesce(patron_metrics.tier_2_patrons, 0) as tier_2_patrons,
        coalesce(patron_metrics.tier_3_plus_patrons, 0) as tier_3_plus_patrons,
        coalesce(patron_metrics.active_pledges, 0) as active_pledges,
        cast(coalesce(patron_metrics.gross_mrr_usd, 0) as decimal(18, 2)) as gross_mrr_usd,
        cast(coalesce(patron_metrics.new_mrr_usd, 0) as decimal(18, 2)) as new_mrr_usd,
        cast(coalesce(patron_metrics.churned_mrr_usd, 0) as decimal(18, 2)) as churned_mrr_usd,
        cast(coalesce(money_metrics.gross_revenue_usd, 0) as decimal(18, 2)) as gross_revenue_usd,
        cast(coalesce(money_metrics.platform_fees_usd, 0) as decimal(18, 2)) as platform_fees_usd,
        cast(coalesce(money_metrics.processing_fees_usd, 0) as decimal(18, 2))
            as processing_fees_usd,
        cast(coalesce(money_metrics.net_creator_earnings_usd, 0) as decimal(18, 2))
            as net_creator_earnings_usd,
        cast(coalesce(money_metrics.collected_amount_usd, 0) as decimal(18, 2))
            as collected_amount_usd,
        coalesce(money_metrics.successful_transactions, 0) as successful_transactions,
        coalesce(money_metrics.failed_transactions, 0) as failed_transactions,
        cast(coalesce(money_metrics.declined_amount_usd, 0) as decimal(18, 2))
            as declined_amount_usd,
        coalesce(content_metrics.posts_published, 0) as posts_published,
        coalesce(content_metrics.paywalled_posts, 0) as paywalled_posts,
        coalesce(content_metrics.free_posts, 0) as free_posts,
        coalesce(engagement_metrics.total_views, 0) as total_views,
        coalesce(engagement_metrics.total_likes, 0) as total_likes,
        coalesce(engagement_metrics.total_comments, 0) as total_comments,
        coalesce(engagement_metrics.total_engagement_score, 0) as total_engagement_score,
        coalesce(engaged_patron_metrics.engaged_patrons, 0) as engaged_patrons
    from spine
    left join patron_metrics using (creator_id, month_start_date)
    left join money_metrics using (creator_id, month_start_date)
    left join content_metrics using (creator_id, month_start_date)
    left join engagement_metrics using (creator_id, month_start_date)
    left join engaged_patron_metrics using (creator_id, month_start_date)
),

metrics as (
    select
        *,
        coalesce(lag(active_patrons) over creator_months, 0) as prior_active_patrons,
        coalesce(lag(gross_mrr_usd) over creator_months, 0) as prior_gross_mrr_usd
    from monthly
    window creator_months as (partition by creator_id order by month_start_date)
),

rates as (
    select
        *,
        cast(round(100.0 * churned_patrons / nullif(prior_active_patrons + new_patrons, 0), 2)
            as decimal(12, 2)) as patron_churn_rate_pct,
        cast(round(100.0 * collected_amount_usd
            / nullif(collected_amount_usd + declined_amount_usd, 0), 2)
            as decimal(12, 2)) as collection_rate_pct,
        cast(round(100.0 * failed_transactions
            / nullif(successful_transactions + failed_transactions, 0), 2)
            as decimal(12, 2)) as decline_rate_pct
    from metrics
)

select
    rates.month_start_date,
    rates.month_start_date < date '{as_of_month}' as is_complete_month,
    rates.month_start_date = date '{as_of_month}' - interval 1 month as is_latest_complete_month,
    creators.creator_id,
    creators.creator_name,
    creators.category as creator_category,
    creators.subcategory as creator_subcategory,
    creators.plan_type,
    creators.country_code,
    creators.status as creator_status,
    rates.total_patrons,
    rates.active_patrons,
    rates.new_patrons,
    rates.churned_patrons,
    rates.new_patrons - rates.churned_patrons as net_patron_change,
    rates.patron_churn_rate_pct,
    rates.gross_mrr_usd,
    rates.new_mrr_usd,
    rates.churned_mrr_usd,
    cast(rates.gross_mrr_usd - rates.prior_gross_mrr_usd as decimal(18, 2)) as mrr_change_usd,
    cast(round(100.0 * (rates.gross_mrr_usd - rates.prior_gross_mrr_usd)
        / nullif(rates.prior_gross_mrr_usd, 0), 2) as decimal(12, 2)) as mrr_growth_rate_pct,
    rates.gross_revenue_usd,
    rates.platform_fees_usd,
    rates.processing_fees_usd,
    rates.net_creator_earnings_usd,
    rates.collection_rate_pct,
    rates.successful_transactions,
    rates.failed_transactions,
    rates.declined_amount_usd,
    rates.decline_rate_pct,
    rates.tier_1_patrons,
    rates.tier_2_patrons,
    rates.tier_3_plus_patrons,
    case when rates.active_pledges > 0
        then cast(round(rates.gross_mrr_usd / rates.active_pledges, 2) as decimal(18, 2))
    end as avg_pledge_amount_usd,
    rates.posts_published,
    rates.paywalled_posts,
    rates.free_posts,
    rates.total_views,
    rates.total_likes,
    rates.total_comments,
    rates.engaged_patrons,
    rates.total_engagement_score,
    cast(round(100.0 * rates.engaged_patrons / nullif(rates.total_patrons, 0), 2)
        as decimal(12, 2)) as patron_engagement_rate_pct,
    cast(round(100.0 * rates.platform_fees_usd / nullif(rates.gross_revenue_usd, 0), 2)
        as decimal(12, 2)) as platform_take_rate_pct,
    case
        when rates.patron_churn_rate_pct is null then null
        when rates.patron_churn_rate_pct < {churn_warning} then 'healthy'
        when rates.patron_churn_rate_pct > {churn_critical} then 'critical'
        else 'warning'
    end as churn_health,
    case
        when rates.collection_rate_pct is null then null
        when rates.collection_rate_pct > {collection_warning} then 'healthy'
        when rates.collection_rate_pct < {collection_critical} then 'critical'
        else 'warning'
    end as collection_health,
    case
        when rates.decline_rate_pct is null then null
        when rates.decline_rate_pct < {decline_warning} then 'healthy'
        when rates.decline_rate_pct > {decline_critical} then 'critical'
        else 'warning'
    end as decline_health,
    concat(rates.creator_id, '|', cast(rates.month_start_date as varchar)) as creator_month_id
from rates
inner join creators on rates.creator_id = creators.creator_id;

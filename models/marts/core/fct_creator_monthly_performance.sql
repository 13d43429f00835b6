{#-
    Grain: one row per creator per calendar month, from the month the creator joined through
    the as-of month, with no gaps. Metric definitions: the docs blocks in _marts__docs.md
    (rendered in docs/mart.md).
-#}

{#-
    Incremental: a run rewrites the latest var('mart_lookback_months') stored months and every
    later one; --full-refresh rebuilds all. Strategy and partitioning per engine:
    macros/incremental_window.sql.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy_for_mart(),
        partition_by=incremental_partition_by_for_mart(),
        unique_key=['creator_id', 'month_start_date'],
        on_schema_change='fail',
    )
}}
{#- Every row carries its creator's current attributes (mart column: stg_creators column). -#}
{%- set creator_attributes = {
    'creator_name': 'creator_name',
    'creator_category': 'category',
    'creator_subcategory': 'subcategory',
    'plan_type': 'plan_type',
    'country_code': 'country_code',
    'creator_status': 'status',
} %}
{#- So a creator whose attributes changed since the last run gets all its months rewritten,
    not only the window's: then incremental and full builds stay identical. #}
{%- set restated_creator_ids = incremental_restated_keys(
    'creator_id', ref('stg_creators'), creator_attributes) %}
{%- set restated = ('creator_id', restated_creator_ids) %}
{%- set window_start = incremental_window(restated_keys=restated_creator_ids) %}
{#- The same instant as a timestamp: facts are cut on the timestamp staging parses anyway, a
    cheaper test than on the month derived from it (identical, as the window starts a month). #}
{%- set window_start_at = window_start and 'cast(' ~ window_start ~ ' as '
    ~ dbt.type_timestamp() ~ ')' %}

with

creators as (
    select * from {{ ref('stg_creators') }}
),

tiers as (
    select * from {{ ref('stg_tiers') }}
),

-- Every row is computed from its own month alone (see creator_month_bounds), so an
-- incremental run reads facts from the window start only (all of a restated creator's),
-- and only the pledges that can overlap it: one that ended before the window is in none
-- of its months.
pledges as (
    select * from {{ ref('stg_pledges') }}
    {{- incremental_since('ended_at', window_start_at, keep_null=true, restated=restated) }}
),

transactions as (
    select * from {{ ref('stg_transactions') }}
    {{- incremental_since('transaction_at', window_start_at, restated=restated) }}
),

posts as (
    select * from {{ ref('stg_posts') }}
    {{- incremental_since('published_at', window_start_at, restated=restated) }}
),

engagement_events as (
    select * from {{ ref('stg_engagement_events') }}
    {{- incremental_since('event_at', window_start_at, restated=restated) }}
),

-- A pinned as_of_date makes runs reproducible; otherwise the data decides where it ends.
as_of_month as (
    {{- as_of_month_query('transactions') }}
),

-- An incremental run builds each creator's months from the window start only.
creator_month_bounds as (
    select
        creators.creator_id,
        {{ month_start('creators.created_at') }} as joined_month_start_date,
        {{ incremental_floor(
            month_start('creators.created_at'),
            window_start,
            restated=('creators.creator_id', restated_creator_ids),
        ) }}
            as first_month_start_date,
        as_of_month.month_start_date as last_month_start_date
    from creators
    cross join as_of_month
),

spine_months as (
    {{ month_spine(
        'creator_month_bounds',
        'creator_id',
        'first_month_start_date',
        'last_month_start_date',
    ) }}
),

-- Month boundaries as timestamps: every state below is "as of an instant", compared with
-- the pledge timestamps directly.
spine as (
    select
        spine_months.creator_id,
        spine_months.month_start_date,
        cast(spine_months.month_start_date as {{ dbt.type_timestamp() }}) as month_start_at,
        cast(
            {{ dbt.dateadd('month', 1, 'spine_months.month_start_date') }}
            as {{ dbt.type_timestamp() }}
        ) as next_month_start_at,
        case
            when spine_months.month_start_date = creator_month_bounds.joined_month_start_date
                then 1
            else 0
        end as is_first_month
    from spine_months
    inner join creator_month_bounds
        on spine_months.creator_id = creator_month_bounds.creator_id
),

-- Each pledge on every month it overlaps: the only months in which it can be active at
-- either month end, start or end. The flags lean on the join: started before next month,
-- not ended before this month.
pledge_months as (
    select
        spine.creator_id,
        spine.month_start_date,
        pledges.patron_id,
        pledges.pledge_id,
        pledges.pledge_amount_usd,
        tiers.tier_rank,
        case
            when
                (pledges.ended_at is null or pledges.ended_at >= spine.next_month_start_at)
                and (
                    pledges.pause_started_at is null
                    or pledges.pause_started_at >= spine.next_month_start_at
                )
                then 1
            else 0
        end as is_active_at_month_end,
        case
            when
                pledges.started_at < spine.month_start_at
                and (
                    pledges.pause_started_at is null
                    or pledges.pause_started_at >= spine.month_start_at
                )
                then 1
            else 0
        end as is_active_at_prior_month_end,
        case when pledges.started_at >= spine.month_start_at then 1 else 0 end
            as is_started_in_month,
        case when pledges.ended_at < spine.next_month_start_at then 1 else 0 end
            as is_ended_in_month
    from spine
    inner join pledges
        on
            spine.creator_id = pledges.creator_id
            and pledges.started_at < spine.next_month_start_at
            and (pledges.ended_at is null or pledges.ended_at >= spine.month_start_at)
    left join tiers
        on pledges.tier_id = tiers.tier_id
),

-- New and churned are patron states: a tier switch ends one pledge and starts another
-- without the patron ever leaving, so it must count as neither.
patron_months as (
    select
        pledge_months.creator_id,
        pledge_months.month_start_date,
        pledge_months.patron_id,
        max(pledge_months.is_active_at_month_end) as is_active_at_month_end,
        case
            when max(pledge_months.is_started_in_month) = 1
                and max(pledge_months.is_active_at_prior_month_end) = 0
                then 1
            else 0
        end as is_new,
        case
            when max(pledge_months.is_ended_in_month) = 1
                and max(pledge_months.is_active_at_month_end) = 0
                then 1
            else 0
        end as is_churned,
        -- active at the end of the previous month = active at the start of this one
        max(pledge_months.is_active_at_prior_month_end) as is_active_at_prior_month_end,
        -- a patron with several active pledges counts once, at the highest tier
        max(case when pledge_months.is_active_at_month_end = 1 then pledge_months.tier_rank end)
            as active_tier_rank
    from pledge_months
    group by 1, 2, 3
),

patron_metrics as (
    select
        patron_months.creator_id,
        patron_months.month_start_date,
        count(*) as total_patrons,
        sum(patron_months.is_active_at_month_end) as active_patrons,
        sum(patron_months.is_new) as new_patrons,
        sum(patron_months.is_churned) as churned_patrons,
        sum(patron_months.is_active_at_prior_month_end) as prior_active_patrons,
        sum(case when patron_months.active_tier_rank = 1 then 1 else 0 end) as tier_1_patrons,
        sum(case when patron_months.active_tier_rank = 2 then 1 else 0 end) as tier_2_patrons,
        sum(case when patron_months.active_tier_rank >= 3 then 1 else 0 end) as tier_3_plus_patrons
    from patron_months
    group by 1, 2
),

mrr_metrics as (
    select
        pledge_months.creator_id,
        pledge_months.month_start_date,
        sum(
            case
                when pledge_months.is_active_at_month_end = 1
                    then pledge_months.pledge_amount_usd
                else 0
            end
        ) as gross_mrr_usd,
        sum(
            case
                when pledge_months.is_active_at_prior_month_end = 1
                    then pledge_months.pledge_amount_usd
                else 0
            end
        ) as prior_gross_mrr_usd,
        sum(pledge_months.is_active_at_month_end) as active_pledges,
        sum(
            case
                when pledge_months.is_started_in_month = 1 and patron_months.is_new = 1
                    then pledge_months.pledge_amount_usd
                else 0
            end
        ) as new_mrr_usd,
        sum(
            case
                when pledge_months.is_ended_in_month = 1 and patron_months.is_churned = 1
                    then pledge_months.pledge_amount_usd
                else 0
            end
        ) as churned_mrr_usd
    from pledge_months
    inner join patron_months
        on
            pledge_months.creator_id = patron_months.creator_id
            and pledge_months.month_start_date = patron_months.month_start_date
            and pledge_months.patron_id = patron_months.patron_id
    group by 1, 2
),

-- A 'refunded' payment was collected first; its reversal is a separate refund/chargeback
-- row in the month the money went back, so revenue nets out in the month it happened.
classified_transactions as (
    select
        transactions.creator_id,
        transactions.transaction_month as month_start_date,
        transactions.gross_amount_usd,
        transactions.platform_fee_usd,
        transactions.processing_fee_usd,
        transactions.net_amount_usd,
        case
            when transactions.transaction_type = 'pledge_payment'
                and transactions.transaction_status in ('succeeded', 'refunded')
                then 'collected'
            when transactions.transaction_type = 'pledge_payment'
                and transactions.transaction_status = 'failed'
                then 'failed'
            when transactions.transaction_type in ('refund', 'chargeback')
                and transactions.transaction_status = 'succeeded'
                then 'reversed'
        end as transaction_class
    from transactions
),

money_metrics as (
    select
        classified_transactions.creator_id,
        classified_transactions.month_start_date,
        {%- for amount_column, metric_name in [
            ('gross_amount_usd', 'gross_revenue_usd'),
            ('platform_fee_usd', 'platform_fees_usd'),
            ('processing_fee_usd', 'processing_fees_usd'),
            ('net_amount_usd', 'net_creator_earnings_usd'),
        ] %}
        sum(
            case classified_transactions.transaction_class
                when 'collected' then classified_transactions.{{ amount_column }}
                when 'reversed' then -classified_transactions.{{ amount_column }}
                else 0
            end
        ) as {{ metric_name }},
        {%- endfor %}
        sum(
            case
                when classified_transactions.transaction_class = 'collected'
                    then classified_transactions.gross_amount_usd
                else 0
            end
        ) as collected_amount_usd
    from classified_transactions
    group by 1, 2
),

payment_health_metrics as (
    select
        classified_transactions.creator_id,
        classified_transactions.month_start_date,
        sum(case when classified_transactions.transaction_class = 'collected' then 1 else 0 end)
            as successful_transactions,
        sum(case when classified_transactions.transaction_class = 'failed' then 1 else 0 end)
            as failed_transactions,
        sum(
            case
                when classified_transactions.transaction_class = 'failed'
                    then classified_transactions.gross_amount_usd
                else 0
            end
        ) as declined_amount_usd
    from classified_transactions
    group by 1, 2
),

content_metrics as (
    select
        posts.creator_id,
        posts.published_month as month_start_date,
        count(*) as posts_published,
        sum(case when posts.access_level in ('patron_only', 'tier_specific') then 1 else 0 end)
            as paywalled_posts,
        sum(case when posts.access_level = 'public' then 1 else 0 end) as free_posts
    from posts
    group by 1, 2
),

engagement_metrics as (
    select
        engagement_events.creator_id,
        engagement_events.event_month as month_start_date,
        sum(case when engagement_events.event_type = 'view' then 1 else 0 end) as total_views,
        sum(case when engagement_events.event_type = 'like' then 1 else 0 end) as total_likes,
        sum(case when engagement_events.event_type = 'comment' then 1 else 0 end) as total_comments,
        sum(engagement_events.engagement_weight) as total_engagement_score
    from engagement_events
    group by 1, 2
),

-- Only patrons of the month count as engaged, so the rate over total_patrons stays <= 100.
engaged_patron_metrics as (
    select
        engagement_events.creator_id,
        engagement_events.event_month as month_start_date,
        count(distinct engagement_events.patron_id) as engaged_patrons
    from engagement_events
    inner join patron_months
        on
            engagement_events.creator_id = patron_months.creator_id
            and engagement_events.event_month = patron_months.month_start_date
            and engagement_events.patron_id = patron_months.patron_id
    group by 1, 2
),

{%- set count_columns = {
    'patron_metrics': ['total_patrons', 'active_patrons', 'new_patrons', 'churned_patrons',
                       'tier_1_patrons', 'tier_2_patrons', 'tier_3_plus_patrons'],
    'mrr_metrics': ['active_pledges'],
    'payment_health_metrics': ['successful_transactions', 'failed_transactions'],
    'content_metrics': ['posts_published', 'paywalled_posts', 'free_posts'],
    'engagement_metrics': ['total_views', 'total_likes', 'total_comments',
                           'total_engagement_score'],
    'engaged_patron_metrics': ['engaged_patrons'],
} %}
{%- set money_columns = {
    'mrr_metrics': ['gross_mrr_usd', 'new_mrr_usd', 'churned_mrr_usd'],
    'money_metrics': ['gross_revenue_usd', 'platform_fees_usd', 'processing_fees_usd',
                      'net_creator_earnings_usd', 'collected_amount_usd'],
    'payment_health_metrics': ['declined_amount_usd'],
} %}

-- A month without activity is a real month with zeros, not a missing row.
monthly as (
    select
        spine.creator_id,
        spine.month_start_date,
        -- The previous month's closing state is this month's opening state, from the same
        -- pledge rows: no lag over earlier rows, so each row depends on its own month only.
        -- Before a creator's first month there was nothing (0), per the contract.
        {{ to_count(
            'case when spine.is_first_month = 1 then 0'
            ~ ' else coalesce(patron_metrics.prior_active_patrons, 0) end'
        ) }} as prior_active_patrons,
        {{ to_money(
            'case when spine.is_first_month = 1 then 0'
            ~ ' else coalesce(mrr_metrics.prior_gross_mrr_usd, 0) end'
        ) }} as prior_gross_mrr_usd,
        {%- for family, columns in count_columns.items() %}
        {%- for column in columns %}
        {{ to_count('coalesce(' ~ family ~ '.' ~ column ~ ', 0)') }} as {{ column }},
        {%- endfor %}
        {%- endfor %}
        {%- for family, columns in money_columns.items() %}
        {%- set last_family = loop.last %}
        {%- for column in columns %}
        {{ to_money('coalesce(' ~ family ~ '.' ~ column ~ ', 0)') }} as {{ column }}
        {%- if not (last_family and loop.last) %},{% endif %}
        {%- endfor %}
        {%- endfor %}
    from spine
    {% for family in ['patron_metrics', 'mrr_metrics', 'money_metrics', 'payment_health_metrics',
                       'content_metrics', 'engagement_metrics', 'engaged_patron_metrics'] %}
    left join {{ family }}
        on
            spine.creator_id = {{ family }}.creator_id
            and spine.month_start_date = {{ family }}.month_start_date
    {%- endfor %}
),

metrics as (
    select
        monthly.creator_id,
        monthly.month_start_date,
        monthly.total_patrons,
        monthly.active_patrons,
        monthly.new_patrons,
        monthly.churned_patrons,
        {{ to_count('monthly.new_patrons - monthly.churned_patrons') }}
            as net_patron_change,
        {{ safe_percentage(
            'monthly.churned_patrons',
            'monthly.prior_active_patrons + monthly.new_patrons',
        ) }} as patron_churn_rate_pct,
        monthly.gross_mrr_usd,
        monthly.new_mrr_usd,
        monthly.churned_mrr_usd,
        {{ to_money('monthly.gross_mrr_usd - monthly.prior_gross_mrr_usd') }}
            as mrr_change_usd,
        {{ safe_percentage(
            'monthly.gross_mrr_usd - monthly.prior_gross_mrr_usd',
            'monthly.prior_gross_mrr_usd',
        ) }} as mrr_growth_rate_pct,
        monthly.gross_revenue_usd,
        monthly.platform_fees_usd,
        monthly.processing_fees_usd,
        monthly.net_creator_earnings_usd,
        {{ safe_percentage(
            'monthly.collected_amount_usd',
            'monthly.collected_amount_usd + monthly.declined_amount_usd',
        ) }} as collection_rate_pct,
        monthly.successful_transactions,
        monthly.failed_transactions,
        monthly.declined_amount_usd,
        {{ safe_percentage(
            'monthly.failed_transactions',
            'monthly.successful_transactions + monthly.failed_transactions',
        ) }} as decline_rate_pct,
        monthly.tier_1_patrons,
        monthly.tier_2_patrons,
        monthly.tier_3_plus_patrons,
        case
            when monthly.active_pledges > 0
                then {{ to_money(
                    'round(monthly.gross_mrr_usd / monthly.active_pledges, 2)'
                ) }}
        end as avg_pledge_amount_usd,
        monthly.posts_published,
        monthly.paywalled_posts,
        monthly.free_posts,
        monthly.total_views,
        monthly.total_likes,
        monthly.total_comments,
        monthly.engaged_patrons,
        monthly.total_engagement_score,
        {{ safe_percentage('monthly.engaged_patrons', 'monthly.total_patrons') }}
            as patron_engagement_rate_pct,
        {{ safe_percentage(
            'monthly.platform_fees_usd',
            'monthly.gross_revenue_usd',
        ) }} as platform_take_rate_pct
    from monthly
),

final as (
    select
        metrics.month_start_date,
        -- The as-of month is still in progress (pending payments, pledges that can still
        -- change), so it is never complete, even once its last calendar day has passed.
        metrics.month_start_date < as_of_month.month_start_date as is_complete_month,
        creators.creator_id,
        {%- for mart_column, creator_column in creator_attributes.items() %}
        creators.{{ creator_column }}{{ ' as ' ~ mart_column if mart_column != creator_column }},
        {%- endfor %}
        metrics.total_patrons,
        metrics.active_patrons,
        metrics.new_patrons,
        metrics.churned_patrons,
        metrics.net_patron_change,
        metrics.patron_churn_rate_pct,
        metrics.gross_mrr_usd,
        metrics.new_mrr_usd,
        metrics.churned_mrr_usd,
        metrics.mrr_change_usd,
        metrics.mrr_growth_rate_pct,
        metrics.gross_revenue_usd,
        metrics.platform_fees_usd,
        metrics.processing_fees_usd,
        metrics.net_creator_earnings_usd,
        metrics.collection_rate_pct,
        metrics.successful_transactions,
        metrics.failed_transactions,
        metrics.declined_amount_usd,
        metrics.decline_rate_pct,
        metrics.tier_1_patrons,
        metrics.tier_2_patrons,
        metrics.tier_3_plus_patrons,
        metrics.avg_pledge_amount_usd,
        metrics.posts_published,
        metrics.paywalled_posts,
        metrics.free_posts,
        metrics.total_views,
        metrics.total_likes,
        metrics.total_comments,
        metrics.engaged_patrons,
        metrics.total_engagement_score,
        metrics.patron_engagement_rate_pct,
        metrics.platform_take_rate_pct,
        {{ health_status('metrics.patron_churn_rate_pct',
                         var('churn_rate_warning_pct'), var('churn_rate_critical_pct')) }}
            as churn_health,
        {{ health_status('metrics.collection_rate_pct',
                         var('collection_rate_warning_pct'), var('collection_rate_critical_pct'),
                         higher_is_better=true) }}
            as collection_health,
        {{ health_status('metrics.decline_rate_pct',
                         var('decline_rate_warning_pct'), var('decline_rate_critical_pct')) }}
            as decline_health
    from metrics
    inner join creators
        on metrics.creator_id = creators.creator_id
    cross join as_of_month
)

select * from final

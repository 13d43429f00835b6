-- One row per creator per month with an engagement event: activity and engaged patrons.

with

engagement_events as (
    select * from {{ ref('stg_engagement_events') }}
),

memberships as (
    select * from {{ ref('int_memberships_aggregated_to_months') }}
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
    inner join memberships
        on
            engaging_patron_months.creator_id = memberships.creator_id
            and engaging_patron_months.patron_id = memberships.patron_id
            and engaging_patron_months.month_start_date = memberships.month_start_date
    group by 1, 2
),

final as (
    select
        event_months.creator_id,
        event_months.month_start_date,
        event_months.total_views,
        event_months.total_likes,
        event_months.total_comments,
        event_months.total_engagement_score,
        coalesce(engaged_patron_months.engaged_patrons, 0) as engaged_patrons
    from event_months
    left join engaged_patron_months
        on
            event_months.creator_id = engaged_patron_months.creator_id
            and event_months.month_start_date = engaged_patron_months.month_start_date
)

select * from final

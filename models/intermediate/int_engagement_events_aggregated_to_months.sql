-- One row per creator per month with an engagement event: activity and engaged patrons.
{{ depends_on_staging_audit_gate() }}

with

engagement_events as (
    select * from {{ ref('stg_engagement_events') }}
),

memberships as (
    select * from {{ ref('int_memberships_aggregated_to_months') }}
),

-- Only patrons of the creator in the month count as engaged, so the engagement rate over
-- total_patrons stays <= 100 %.
events_with_membership as (
    select
        engagement_events.creator_id,
        engagement_events.patron_id,
        engagement_events.event_type,
        engagement_events.engagement_weight,
        memberships.patron_id as member_patron_id,
        engagement_events.event_month as month_start_date
    from engagement_events
    left join memberships
        on
            engagement_events.creator_id = memberships.creator_id
            and engagement_events.patron_id = memberships.patron_id
            and engagement_events.event_month = memberships.month_start_date
),

final as (
    select
        events_with_membership.creator_id,
        events_with_membership.month_start_date,
        sum(case when events_with_membership.event_type = 'view' then 1 else 0 end)
            as total_views,
        sum(case when events_with_membership.event_type = 'like' then 1 else 0 end)
            as total_likes,
        sum(case when events_with_membership.event_type = 'comment' then 1 else 0 end)
            as total_comments,
        sum(events_with_membership.engagement_weight) as total_engagement_score,
        count(distinct events_with_membership.member_patron_id) as engaged_patrons
    from events_with_membership
    group by 1, 2
)

select * from final

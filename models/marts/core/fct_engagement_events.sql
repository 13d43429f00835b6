-- One row per engagement event on a creator's post: the semantic layer's engagement by day.
-- A table, not the staging view, so a load that fails a check on the inputs never reaches a
-- metric (docs/data-quality.md).
-- depends_on: {{ ref('staging_audit_gate') }}

with

engagement_events as (
    select * from {{ ref('stg_engagement_events') }}
),

final as (
    select
        engagement_events.event_id,
        engagement_events.patron_id,
        engagement_events.creator_id,
        engagement_events.post_id,
        engagement_events.event_type,
        engagement_events.engagement_weight,
        engagement_events.event_date,
        engagement_events.event_month,
        engagement_events.event_at,
        {{ creator_month_id('engagement_events.creator_id', 'engagement_events.event_month') }}
            as creator_month_id
    from engagement_events
)

select * from final

# Generated at compile time from the semantic model `engagement_events` and its
# metrics (models/semantic/): edit them, not this view. Metrics of this semantic model that
# only MetricFlow answers: none.
version: '1.1'
comment: '`fct_engagement_events`: one row per engagement event (view, like, unlike,
  comment, share) on a creator''s post, by day.'
source: patreon_dev.analytics_marts.fct_engagement_events
joins:
- name: creator
  source: patreon_dev.analytics_marts.dim_creators
  'on': source.creator_id = creator.creator_id
dimensions:
- name: metric_time__day
  expr: event_date
  comment: The day of event_date. Calendar day of the event.
- name: metric_time__week
  expr: DATE_TRUNC('WEEK', event_date)
  comment: The week of event_date. Calendar day of the event.
- name: metric_time__month
  expr: DATE_TRUNC('MONTH', event_date)
  comment: The month of event_date. Calendar day of the event.
- name: metric_time__quarter
  expr: DATE_TRUNC('QUARTER', event_date)
  comment: The quarter of event_date. Calendar day of the event.
- name: metric_time__year
  expr: DATE_TRUNC('YEAR', event_date)
  comment: The year of event_date. Calendar day of the event.
- name: event_type
  expr: event_type
  comment: view, like, unlike, comment or share.
- name: creator__creator_name
  expr: creator.creator_name
  comment: Display name of the creator.
- name: creator__creator_category
  expr: creator.creator_category
  comment: Primary content category (video, podcasts, writing, ...).
- name: creator__creator_subcategory
  expr: creator.creator_subcategory
  comment: Content subcategory.
- name: creator__plan_type
  expr: creator.plan_type
  comment: 'Current Patreon plan: lite, pro or premium.'
- name: creator__country_code
  expr: creator.country_code
  comment: ISO 3166-1 alpha-2 country code.
- name: creator__creator_status
  expr: creator.creator_status
  comment: Current account status.
measures:
- name: total_comments
  expr: COALESCE(SUM(CASE WHEN event_type = 'comment' THEN 1 ELSE 0 END), 0)
  comment: Engagement events of type comment on the creators' posts.
  display_name: Comments
- name: total_engagement_score
  expr: COALESCE(SUM(engagement_weight), 0)
  comment: 'Weighted engagement in the month: view 1, like 3, comment 5, share 7,
    unlike 0.'
  display_name: Engagement score
- name: total_likes
  expr: COALESCE(SUM(CASE WHEN event_type = 'like' THEN 1 ELSE 0 END), 0)
  comment: Engagement events of type like on the creators' posts.
  display_name: Likes
- name: total_views
  expr: COALESCE(SUM(CASE WHEN event_type = 'view' THEN 1 ELSE 0 END), 0)
  comment: Engagement events of type view on the creators' posts.
  display_name: Views

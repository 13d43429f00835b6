# Generated at compile time from the semantic model `memberships` and its
# metrics (models/semantic/): edit them, not this view. Metrics of this semantic model that
# only MetricFlow answers: patron_churn_rate.
version: '1.1'
comment: '`int_memberships_aggregated_to_months`: one row per creator x patron x month
  in which the patron had a pledge to the creator overlapping the month. The patron
  grain, so platform-wide distinct patrons count a patron of two creators once.'
source: patreon_dev.analytics_intermediate.int_memberships_aggregated_to_months
joins:
- name: creator
  source: patreon_dev.analytics_marts.dim_creators
  'on': source.creator_id = creator.creator_id
dimensions:
- name: metric_time__month
  expr: month_start_date
  comment: The month of membership_month. First day of the calendar month.
- name: metric_time__quarter
  expr: DATE_TRUNC('QUARTER', month_start_date)
  comment: The quarter of membership_month. First day of the calendar month.
- name: metric_time__year
  expr: DATE_TRUNC('YEAR', month_start_date)
  comment: The year of membership_month. First day of the calendar month.
- name: active_tier_rank
  expr: active_tier_rank
  comment: Highest tier rank among the patron's active pledges to the creator.
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
- name: opening_active_patrons
  expr: COALESCE(SUM(CASE WHEN is_active_at_prior_month_end THEN 1 ELSE 0 END), 0)
  comment: Patrons active at the end of the previous month (the month's opening state),
    summed over creators; the first part of the churn rate's denominator.
  display_name: Opening active patrons
- name: unique_active_patrons
  expr: COALESCE(COUNT(DISTINCT case when is_active_at_month_end then patron_id end),
    0)
  comment: 'Distinct patrons with at least one pledge active at the end of the month,
    to any creator in the group: a patron of two creators counts once.'
  display_name: Unique active patrons
  window:
  - order: metric_time__month
    range: current
    semiadditive: last

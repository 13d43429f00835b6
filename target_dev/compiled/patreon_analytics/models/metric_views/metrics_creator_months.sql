# Generated at compile time from the semantic model `creator_months` and its
# metrics (models/semantic/): edit them, not this view. Metrics of this semantic model that
# only MetricFlow answers: mrr_growth_rate, patron_churn_rate.
version: '1.1'
comment: '`fct_creator_monthly_performance`: one row per creator per calendar month.
  Holds the month-end stocks (MRR, active patrons), the month''s patron flows and
  the counts the engagement rate is built from.'
source: patreon_dev.analytics_marts.fct_creator_monthly_performance
joins:
- name: creator
  source: patreon_dev.analytics_marts.dim_creators
  'on': source.creator_id = creator.creator_id
dimensions:
- name: metric_time__month
  expr: month_start_date
  comment: The month of month_start_date. First day of the calendar month.
- name: metric_time__quarter
  expr: DATE_TRUNC('QUARTER', month_start_date)
  comment: The quarter of month_start_date. First day of the calendar month.
- name: metric_time__year
  expr: DATE_TRUNC('YEAR', month_start_date)
  comment: The year of month_start_date. First day of the calendar month.
- name: is_complete_month
  expr: is_complete_month
  comment: False for the as-of month, still in progress (payments pending); filter
    on `creator_month__is_complete_month` to leave it out (docs/semantic-layer.md).
- name: is_latest_complete_month
  expr: is_latest_complete_month
  comment: 'True for the month before the as-of month: filter on `creator_month__is_latest_complete_month`
    for "the latest month".'
- name: churn_health
  expr: churn_health
  comment: 'The creator-month''s churn band: healthy, warning or critical.'
- name: collection_health
  expr: collection_health
  comment: 'The creator-month''s collection band: healthy, warning or critical.'
- name: decline_health
  expr: decline_health
  comment: 'The creator-month''s decline band: healthy, warning or critical.'
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
- name: active_patrons
  expr: COALESCE(SUM(active_patrons), 0)
  comment: 'Distinct patrons with at least one pledge to the creator active at the
    end of the month (started before the next month, not ended and not paused by then).
    Declined (past-due) pledges count. Summed over creators, as the mart''s column:
    a patron of two creators counts twice. For distinct people use `unique_active_patrons`.'
  display_name: Active patrons (sum over creators)
  window:
  - order: metric_time__month
    range: current
    semiadditive: last
- name: churned_mrr
  expr: COALESCE(SUM(churned_mrr_usd), 0)
  comment: Sum of the amounts of the pledges that ended this month and whose patron
    churned this month. Summed over creators.
  display_name: Churned MRR (USD)
- name: churned_patrons
  expr: COALESCE(SUM(churned_patrons), 0)
  comment: Distinct patrons with a pledge that ended this month who are not active
    at the end of the month. Switching tiers is not churn; neither is a pause. Summed
    over creators.
  display_name: Churned patrons
- name: creators
  expr: COALESCE(COUNT(DISTINCT creator_id), 0)
  comment: Distinct creators with a month in the group (every creator has one from
    the month it joined).
  display_name: Creators
- name: engaged_patrons
  expr: COALESCE(SUM(engaged_patrons), 0)
  comment: Distinct patrons with an engagement event on the creator in the month who
    are among the month's `total_patrons` (non-patron viewers are not counted). Summed
    over creator-months.
  display_name: Engaged patrons (sum over creators)
- name: gross_mrr
  expr: COALESCE(SUM(gross_mrr_usd), 0)
  comment: 'Monthly recurring revenue at the end of the month, summed over creators.
    Monthly recurring revenue: the sum of `pledge_amount_usd` of the pledges active
    at the end of the month.'
  display_name: Gross MRR (USD)
  window:
  - order: metric_time__month
    range: current
    semiadditive: last
- name: new_mrr
  expr: COALESCE(SUM(new_mrr_usd), 0)
  comment: Sum of the amounts of the pledges that made patrons new this month (pledges
    started this month by patrons not active at the end of the previous month). Summed
    over creators.
  display_name: New MRR (USD)
- name: new_patrons
  expr: COALESCE(SUM(new_patrons), 0)
  comment: Distinct patrons with a pledge that started this month who were not active
    at the end of the previous month. A tier switch (one pledge ends and another starts)
    is not new. Summed over creators.
  display_name: New patrons
- name: posts_published
  expr: COALESCE(SUM(posts_published), 0)
  comment: Posts with `published_at` in the month; equals `paywalled_posts + free_posts`.
  display_name: Posts published
- name: total_patrons
  expr: COALESCE(SUM(total_patrons), 0)
  comment: 'Distinct patrons with at least one pledge to the creator that overlaps
    the month: started before the next month starts and not ended before this month
    starts (paused pledges included). Summed over creator-months.'
  display_name: Total patrons (sum over creators)
- name: patron_engagement_rate
  expr: round(100 * engaged_patrons / nullif(total_patrons, 0), 2)
  comment: '`100 * engaged_patrons / total_patrons`, each summed over the group''s
    creator-months (the mart''s `patron_engagement_rate_pct` for one creator-month);
    NULL when no patrons.'
  display_name: Patron engagement rate (%)

# Generated at compile time from the semantic model `mrr_bridge` and its
# metrics (models/semantic/): edit them, not this view. Metrics of this semantic model that
# only MetricFlow answers: none.
version: '1.1'
comment: '`fct_creator_mrr_bridge`: one row per creator per month, the MRR bridge
  from the month''s opening MRR to its closing MRR through new business, expansion,
  contraction, reactivation and churn (docs block mrr_movements). Opening and closing
  are month-end balances: over several months the first month''s opening and the last
  month''s closing count, the movements add up, so the bridge reconciles at any grain.'
source: patreon_dev.analytics_marts.fct_creator_mrr_bridge
joins:
- name: creator
  source: patreon_dev.analytics_marts.dim_creators
  'on': source.creator_id = creator.creator_id
dimensions:
- name: metric_time__month
  expr: month_start_date
  comment: The month of bridge_month. First day of the calendar month.
- name: metric_time__quarter
  expr: DATE_TRUNC('QUARTER', month_start_date)
  comment: The quarter of bridge_month. First day of the calendar month.
- name: metric_time__year
  expr: DATE_TRUNC('YEAR', month_start_date)
  comment: The year of bridge_month. First day of the calendar month.
- name: is_complete_month
  expr: is_complete_month
  comment: False for the as-of month, still in progress.
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
- name: churn_mrr
  expr: COALESCE(SUM(churn_mrr_usd), 0)
  comment: 'MRR lost from patrons who had MRR at the opening and churned in the month
    (a pledge ended and none is active at the month end): their opening MRR. Summed
    over creators and months.'
  display_name: Churn MRR (USD)
- name: closing_mrr
  expr: COALESCE(SUM(closing_mrr_usd), 0)
  comment: 'MRR at the end of the month: the monthly mart''s `gross_mrr_usd`. Over
    several months, the last month''s closing: `gross_mrr`. Summed over creators.'
  display_name: Closing MRR (USD)
  window:
  - order: metric_time__month
    range: current
    semiadditive: last
- name: contraction_mrr
  expr: COALESCE(SUM(contraction_mrr_usd), 0)
  comment: 'MRR lost from patrons who had MRR at the opening, less at the close and
    did not churn (a downgrade, or a pause): opening - closing. Summed over creators
    and months.'
  display_name: Contraction MRR (USD)
- name: expansion_mrr
  expr: COALESCE(SUM(expansion_mrr_usd), 0)
  comment: 'MRR gained from patrons who had MRR at the opening and more at the close:
    closing - opening. Summed over creators and months.'
  display_name: Expansion MRR (USD)
- name: new_business_mrr
  expr: COALESCE(SUM(new_business_mrr_usd), 0)
  comment: 'MRR of patrons at 0 at the opening who never had MRR with the creator
    at an earlier month end: their closing MRR. Summed over creators and months.'
  display_name: New business MRR (USD)
- name: opening_mrr
  expr: COALESCE(SUM(opening_mrr_usd), 0)
  comment: MRR at the end of the previous month (the month's opening); 0 in the creator's
    first month. Over several months, the first month's opening. Summed over creators.
  display_name: Opening MRR (USD)
  window:
  - order: metric_time__month
    range: current
    semiadditive: first
- name: reactivation_mrr
  expr: COALESCE(SUM(reactivation_mrr_usd), 0)
  comment: 'MRR of patrons at 0 at the opening who had MRR with the creator at an
    earlier month end (back after a churn or a pause): their closing MRR. Summed over
    creators and months.'
  display_name: Reactivation MRR (USD)
- name: net_new_mrr
  expr: new_business_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churn_mrr
  comment: '`new_business_mrr + expansion_mrr + reactivation_mrr - contraction_mrr
    - churn_mrr`: the MRR bridge''s change, `closing_mrr - opening_mrr` at any grain.'
  display_name: Net new MRR (USD)

# Generated at compile time from the semantic model `payments` and its
# metrics (models/semantic/): edit them, not this view. Metrics of this semantic model that
# only MetricFlow answers: lifetime_revenue.
version: '1.1'
comment: '`fct_payments`: one row per transaction with its revenue class and signed
  amounts, so revenue, fees and payment health are available by day, week or month.'
source: patreon_dev.analytics_marts.fct_payments
joins:
- name: creator
  source: patreon_dev.analytics_marts.dim_creators
  'on': source.creator_id = creator.creator_id
dimensions:
- name: metric_time__day
  expr: transaction_date
  comment: The day of transaction_date. Calendar day of the transaction.
- name: metric_time__week
  expr: DATE_TRUNC('WEEK', transaction_date)
  comment: The week of transaction_date. Calendar day of the transaction.
- name: metric_time__month
  expr: DATE_TRUNC('MONTH', transaction_date)
  comment: The month of transaction_date. Calendar day of the transaction.
- name: metric_time__quarter
  expr: DATE_TRUNC('QUARTER', transaction_date)
  comment: The quarter of transaction_date. Calendar day of the transaction.
- name: metric_time__year
  expr: DATE_TRUNC('YEAR', transaction_date)
  comment: The year of transaction_date. Calendar day of the transaction.
- name: transaction_class
  expr: transaction_class
  comment: 'collected, failed or reversed (NULL: counts nowhere).'
- name: transaction_type
  expr: transaction_type
  comment: pledge_payment, refund or chargeback.
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
- name: collected_amount
  expr: COALESCE(SUM(collected_amount_usd), 0)
  comment: Gross amount of collected payments (reversals not deducted).
  display_name: Collected amount (USD)
- name: declined_amount
  expr: COALESCE(SUM(declined_amount_usd), 0)
  comment: Gross amount of the failed payments in the month.
  display_name: Declined amount (USD)
- name: failed_transactions
  expr: COALESCE(SUM(CASE WHEN is_failed THEN 1 ELSE 0 END), 0)
  comment: Number of failed payments (`pledge_payment`, status `failed`) in the month.
  display_name: Failed payments
- name: gross_revenue
  expr: COALESCE(SUM(gross_revenue_usd), 0)
  comment: Gross amount of collected payments minus gross amount of reversals in the
    month, so a refund lowers revenue in the month the money went back. Always equals
    `platform_fees_usd + processing_fees_usd + net_creator_earnings_usd`.
  display_name: Gross revenue (USD)
- name: net_creator_earnings
  expr: COALESCE(SUM(net_creator_earnings_usd), 0)
  comment: Creator payout (net amount) of collected payments minus that of reversals
    in the month.
  display_name: Net creator earnings (USD)
- name: platform_fees
  expr: COALESCE(SUM(platform_fees_usd), 0)
  comment: Platform fees of collected payments minus those of reversals in the month.
  display_name: Platform fees (USD)
- name: processing_fees
  expr: COALESCE(SUM(processing_fees_usd), 0)
  comment: Payment-processing fees of collected payments minus those of reversals
    in the month.
  display_name: Processing fees (USD)
- name: successful_transactions
  expr: COALESCE(SUM(CASE WHEN is_collected THEN 1 ELSE 0 END), 0)
  comment: Number of collected payments (`pledge_payment`, status `succeeded` or `refunded`)
    in the month. A failed payment retried successfully counts once here and once
    in `failed_transactions`.
  display_name: Successful payments
- name: collection_rate
  expr: round(100 * collected_amount / nullif(collected_amount + declined_amount,
    0), 2)
  comment: '`100 * collected_amount / (collected_amount + declined_amount)` over the
    group''s payment attempts; NULL without attempts.'
  display_name: Collection rate (%)
- name: decline_rate
  expr: round(100 * failed_transactions / nullif(successful_transactions + failed_transactions,
    0), 2)
  comment: '`100 * failed_transactions / (successful_transactions + failed_transactions)`
    over the group''s payment attempts; NULL without attempts.'
  display_name: Decline rate (%)
- name: platform_take_rate
  expr: round(100 * platform_fees / nullif(gross_revenue, 0), 2)
  comment: '`100 * platform_fees / gross_revenue` over the group''s transactions;
    NULL when gross revenue is 0.'
  display_name: Platform take rate (%)

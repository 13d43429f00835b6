-- Money columns are stored as positive magnitudes (a refund is a transaction type, not a
-- negative amount). Returns every negative amount with its table, column and row key.
{%- set money_columns = [
    ('stg_patrons', 'patron_id', 'lifetime_spend_usd'),
    ('stg_tiers', 'tier_id', 'price_usd'),
    ('stg_pledges', 'pledge_id', 'pledge_amount_usd'),
    ('stg_transactions', 'transaction_id', 'gross_amount_usd'),
    ('stg_transactions', 'transaction_id', 'platform_fee_usd'),
    ('stg_transactions', 'transaction_id', 'processing_fee_usd'),
    ('stg_transactions', 'transaction_id', 'net_amount_usd'),
] %}

{% for model_name, key_column, amount_column in money_columns %}
select
    '{{ model_name }}' as table_name,
    '{{ amount_column }}' as column_name,
    {{ key_column }} as record_key,
    {{ amount_column }} as amount_usd
from {{ ref(model_name) }}
where {{ amount_column }} < 0
{% if not loop.last %}union all{% endif %}
{% endfor %}

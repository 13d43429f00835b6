-- No event is dated after the load's reference instant (`as_of_timestamp()`: the as_of_date
-- at 23:59:59, else now). A future timestamp is clock skew upstream: kept, it would carry
-- open pledges through months that have not happened. Returns table, column, key and value.
{%- set timestamp_columns = [
    ('stg_creators', 'creator_id', ['created_at', 'first_pledge_received_at', 'last_post_at']),
    ('stg_patrons', 'patron_id', ['created_at', 'first_pledge_at']),
    ('stg_tiers', 'tier_id', ['created_at', 'archived_at']),
    ('stg_pledges', 'pledge_id', ['started_at', 'ended_at', 'pause_started_at']),
    ('stg_transactions', 'transaction_id', ['transaction_at']),
    ('stg_posts', 'post_id', ['published_at']),
    ('stg_engagement_events', 'event_id', ['event_at']),
] %}

{% for model_name, key_column, columns in timestamp_columns %}
{%- for column_name in columns %}
select
    '{{ model_name }}' as table_name,
    '{{ column_name }}' as column_name,
    {{ key_column }} as record_key,
    {{ column_name }} as offending_value
from {{ ref(model_name) }}
where {{ column_name }} > {{ as_of_timestamp() }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% if not loop.last %}union all{% endif %}
{% endfor %}

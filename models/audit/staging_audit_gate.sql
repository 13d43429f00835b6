{#-
    The fail-closed gate (docs/data-quality.md, "Fail closed"). It reads every staging view,
    so in `dbt build` every data test whose inputs are sources or staging views runs before it,
    and a failing one skips it and everything downstream of it. The models where staging
    enters the rest of the DAG (the spine, posts and transactions in intermediate; dim_creators
    and fct_engagement_events in the marts) name it in a `-- depends_on:` line; every other
    model built from staging descends from one of them, which tests/test_fault_injection.py
    checks in the manifest. No rows: building it is the signal, it holds no data.
-#}
{%- set staging_models = [
    'stg_creators',
    'stg_patrons',
    'stg_tiers',
    'stg_pledges',
    'stg_transactions',
    'stg_posts',
    'stg_engagement_events',
] %}

{% for model_name in staging_models %}
select '{{ model_name }}' as audited_model_name
from {{ ref(model_name) }}
where 1 = 0
{% if not loop.last %}union all{% endif %}
{% endfor %}

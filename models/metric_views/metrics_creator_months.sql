{#- The semantic model `creator_months` as a Unity Catalog metric view (Databricks only), written
    at compile time from the semantic layer: docs/semantic-layer.md#metric-views. -#}
{{ metric_view_yaml(
    'creator_months',
    ref('fct_creator_monthly_performance'),
    joins={'creator': ref('dim_creators')},
) }}

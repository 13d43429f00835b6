{#- The semantic model `payments` as a Unity Catalog metric view (Databricks only), written
    at compile time from the semantic layer: docs/semantic-layer.md#metric-views. -#}
{{ metric_view_yaml(
    'payments',
    ref('fct_payments'),
    joins={'creator': ref('dim_creators')},
) }}

{#- The semantic model `mrr_bridge` as a Unity Catalog metric view (Databricks only), written
    at compile time from the semantic layer: docs/semantic-layer.md#metric-views. -#}
{{ metric_view_yaml(
    'mrr_bridge',
    ref('fct_creator_mrr_bridge'),
    joins={'creator': ref('dim_creators')},
) }}

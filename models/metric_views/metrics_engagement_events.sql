{#- The semantic model `engagement_events` as a Unity Catalog metric view (Databricks only), written
    at compile time from the semantic layer: docs/semantic-layer.md#metric-views. -#}
{{ metric_view_yaml(
    'engagement_events',
    ref('fct_engagement_events'),
    joins={'creator': ref('dim_creators')},
) }}

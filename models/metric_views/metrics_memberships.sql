{#- The semantic model `memberships` as a Unity Catalog metric view (Databricks only), written
    at compile time from the semantic layer: docs/semantic-layer.md#metric-views. -#}
{{ metric_view_yaml(
    'memberships',
    ref('int_memberships_aggregated_to_months'),
    joins={'creator': ref('dim_creators')},
) }}

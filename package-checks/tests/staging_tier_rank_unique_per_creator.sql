-- Tier ranks order one creator's tiers: no two tiers of a creator share a rank.
{{ dbt_utils.test_unique_combination_of_columns(
    model=ref('patreon_analytics', 'stg_tiers'),
    combination_of_columns=['creator_id', 'tier_rank']
) }}

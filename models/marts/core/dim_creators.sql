-- One row per creator: the creator's current attributes, the `creator` entity of the
-- semantic layer and the attributes every row of the monthly mart shows.
-- depends_on: {{ ref('staging_audit_gate') }}

with

creators as (
    select * from {{ ref('stg_creators') }}
),

final as (
    select
        creators.creator_id,
        creators.creator_name,
        creators.category as creator_category,
        creators.subcategory as creator_subcategory,
        creators.plan_type,
        creators.country_code,
        creators.currency_code,
        creators.status as creator_status,
        creators.is_verified,
        creators.is_nsfw,
        {{ month_start('creators.created_at') }} as joined_month_start_date,
        creators.created_at
    from creators
)

select * from final

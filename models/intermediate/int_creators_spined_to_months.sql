-- One row per creator per calendar month, from the month the creator joined through the
-- as-of month, with no gaps: the rows of the mart, before any metric.
-- depends_on: {{ ref('staging_audit_gate') }}

with

creators as (
    select * from {{ ref('stg_creators') }}
),

transactions as (
    select * from {{ ref('stg_transactions') }}
),

-- A pinned as_of_date makes runs reproducible; otherwise the data decides where it ends.
as_of_month as (
    {{- as_of_month_query('transactions') }}
),

creator_month_bounds as (
    select
        creators.creator_id,
        {{ month_start('creators.created_at') }} as first_month_start_date,
        as_of_month.month_start_date as last_month_start_date
    from creators
    cross join as_of_month
),

spine_months as (
    {{ month_spine(
        'creator_month_bounds',
        'creator_id',
        'first_month_start_date',
        'last_month_start_date',
    ) }}
),

-- Month boundaries as timestamps: pledge states are "as of an instant", compared with the
-- pledge timestamps directly.
final as (
    select
        spine_months.creator_id,
        coalesce(
            spine_months.month_start_date = creator_month_bounds.first_month_start_date, false
        ) as is_first_month,
        spine_months.month_start_date,
        cast(spine_months.month_start_date as {{ dbt.type_timestamp() }}) as month_start_at,
        cast(
            {{ dbt.dateadd('month', 1, 'spine_months.month_start_date') }}
            as {{ dbt.type_timestamp() }}
        ) as next_month_start_at
    from spine_months
    inner join creator_month_bounds
        on spine_months.creator_id = creator_month_bounds.creator_id
)

select * from final

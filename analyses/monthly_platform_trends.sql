-- Platform totals per month: revenue, platform fees, patrons and creators.
with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

final as (
    select
        month_start_date,
        -- false for the month in progress: its revenue and payments are not all in yet.
        is_complete_month,
        sum(gross_revenue_usd) as total_revenue,
        sum(platform_fees_usd) as total_platform_fees,
        -- A sum of per-creator counts: a patron who backs two creators counts twice.
        sum(active_patrons) as total_patrons,
        -- The mart has a row for every creator from sign-up on, so counting rows would count
        -- dormant creators too; a creator is active in a month with an active patron.
        count(distinct case when active_patrons > 0 then creator_id end) as active_creators
    from performance
    group by 1, 2
)

select * from final
order by 1

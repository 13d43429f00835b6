-- Top 20 creators by gross revenue over the whole history. Creators are grouped by id, not
-- by name: names repeat (different creators can share one), and each row is one creator.
with

performance as (
    select * from {{ ref('fct_creator_monthly_performance') }}
),

final as (
    select
        performance.creator_id,
        performance.creator_name,
        sum(performance.gross_revenue_usd) as total_revenue,
        sum(performance.active_patrons) as total_patrons
    from performance
    group by 1, 2
)

select * from final
-- creator_id breaks ties, so the twenty are the same on every engine.
order by 3 desc, 1
limit 20

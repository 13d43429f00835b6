-- analyses/top_creators_by_revenue.sql
select
    creator_name,
    sum(gross_revenue_usd) as total_revenue,
    sum(active_patrons) as total_patrons
from {{ ref('fct_creator_monthly_performance') }}
group by 1
order by 2 desc
limit 20

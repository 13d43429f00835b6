select
    creator_id,
    month_start_date,
    new_patrons,
    churned_patrons,
    net_patron_change
from {{ ref('fct_creator_monthly_performance') }}
where net_patron_change <> new_patrons - churned_patrons

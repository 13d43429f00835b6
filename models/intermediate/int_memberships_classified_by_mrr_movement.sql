-- One row per creator, patron and month of int_memberships_aggregated_to_months: the
-- patron's MRR with the creator at the month's two ends and the one movement that carries
-- the first to the second (docs block mrr_movements, DECISIONLOG.md M15-M17).

with

memberships as (
    select * from {{ ref('int_memberships_aggregated_to_months') }}
),

spine as (
    select * from {{ ref('int_creators_spined_to_months') }}
),

-- A patron "had MRR before" in a month when an earlier month of the creator's spine ended
-- with MRR from the patron, i.e. when the pair's first month with MRR is earlier (the
-- memberships' months are spine months). A first month per pair rather than a running
-- maximum over the pair's months: the window sorted every row and took twice as long at
-- scales 10 and 100. Read apart from `memberships`: DuckDB materializes a CTE read twice.
first_mrr_months as (
    select
        creator_id,
        patron_id,
        min(month_start_date) as first_mrr_month_start_date
    from {{ ref('int_memberships_aggregated_to_months') }}
    where gross_mrr_usd > 0
    group by 1, 2
),

-- The opening is the previous month's closing; before a creator's first month there was
-- nothing (M5), even if a pledge predates the creator. A patron at 0 who had MRR before
-- comes back (reactivation), one who never had any is new business.
month_ends as (
    select
        memberships.creator_id,
        memberships.patron_id,
        memberships.month_start_date,
        spine.is_first_month,
        memberships.is_churned,
        case
            when spine.is_first_month then 0
            else memberships.prior_gross_mrr_usd
        end as opening_mrr_usd,
        memberships.gross_mrr_usd as closing_mrr_usd,
        coalesce(
            first_mrr_months.first_mrr_month_start_date < memberships.month_start_date, false
        ) as had_mrr_before
    from memberships
    inner join spine
        on
            memberships.creator_id = spine.creator_id
            and memberships.month_start_date = spine.month_start_date
    left join first_mrr_months
        on
            memberships.creator_id = first_mrr_months.creator_id
            and memberships.patron_id = first_mrr_months.patron_id
),

-- One movement per patron-month. From 0 to MRR: new business, or reactivation when the
-- patron had MRR before. From MRR to 0: churn when the patron churned (a pledge ended and
-- none is active, M3), else contraction (a pause, which is not churn). From MRR to more or
-- less MRR: expansion or contraction, which is where a tier switch lands (M4).
classified as (
    select
        month_ends.*,
        case
            when month_ends.opening_mrr_usd = month_ends.closing_mrr_usd then 'none'
            when month_ends.opening_mrr_usd = 0 and month_ends.had_mrr_before
                then 'reactivation'
            when month_ends.opening_mrr_usd = 0 then 'new_business'
            when month_ends.closing_mrr_usd = 0 and month_ends.is_churned then 'churn'
            when month_ends.closing_mrr_usd > month_ends.opening_mrr_usd then 'expansion'
            else 'contraction'
        end as mrr_movement
    from month_ends
),

final as (
    select
        classified.creator_id,
        classified.patron_id,
        classified.month_start_date,
        classified.mrr_movement,
        classified.opening_mrr_usd,
        case
            when classified.mrr_movement = 'new_business' then classified.closing_mrr_usd
            else 0
        end as new_business_mrr_usd,
        case
            when classified.mrr_movement = 'expansion'
                then classified.closing_mrr_usd - classified.opening_mrr_usd
            else 0
        end as expansion_mrr_usd,
        case
            when classified.mrr_movement = 'contraction'
                then classified.opening_mrr_usd - classified.closing_mrr_usd
            else 0
        end as contraction_mrr_usd,
        case
            when classified.mrr_movement = 'reactivation' then classified.closing_mrr_usd
            else 0
        end as reactivation_mrr_usd,
        case
            when classified.mrr_movement = 'churn' then classified.opening_mrr_usd
            else 0
        end as churn_mrr_usd,
        classified.closing_mrr_usd,
        classified.had_mrr_before,
        classified.is_churned
    from classified
)

select * from final

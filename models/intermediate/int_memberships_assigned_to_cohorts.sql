-- One row per creator and patron who ever pledged to the creator: the patron's start with
-- the creator and on the platform, the cohorts of the cohort marts (docs block
-- patron_cohort_start, DECISIONLOG.md M18).

with

memberships as (
    select * from {{ ref('int_memberships_aggregated_to_months') }}
),

-- A patron's first month with the creator is the month of their first pledge to it (a
-- pledge is on its start month): the creator's first month for a pledge older than the
-- creator, which is outside the spine like every other month before it (M5).
creator_starts as (
    select
        memberships.creator_id,
        memberships.patron_id,
        min(memberships.month_start_date) as creator_cohort_month_start_date
    from memberships
    group by 1, 2
),

-- On the platform a patron starts with their first pledge to any creator.
final as (
    select
        creator_starts.creator_id,
        creator_starts.patron_id,
        creator_starts.creator_cohort_month_start_date,
        min(creator_starts.creator_cohort_month_start_date)
            over (partition by creator_starts.patron_id)
            as platform_cohort_month_start_date
    from creator_starts
)

select * from final

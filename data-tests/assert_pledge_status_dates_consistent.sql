-- A pledge's status and its dates tell the same story: churned exactly when ended_at is set
-- (and then with a churn reason), paused exactly when pause_started_at is set, and nothing ends
-- or pauses before it starts. Returns each inconsistent pledge with the rule it breaks.
with

pledges as (

    select * from {{ ref('stg_pledges') }}

),

checks as (

    select
        pledges.pledge_id,
        pledges.pledge_status,
        pledges.started_at,
        pledges.ended_at,
        pledges.pause_started_at,
        pledges.churn_reason,
        case
            when (pledges.pledge_status = 'churned') <> (pledges.ended_at is not null)
                then 'churned status and ended_at disagree'
            when (pledges.pledge_status = 'churned') <> (pledges.churn_reason is not null)
                then 'churned status and churn_reason disagree'
            when (pledges.pledge_status = 'paused') <> (pledges.pause_started_at is not null)
                then 'paused status and pause_started_at disagree'
            when pledges.ended_at < pledges.started_at
                then 'ended_at before started_at'
            when pledges.pause_started_at < pledges.started_at
                then 'pause_started_at before started_at'
        end as broken_rule
    from pledges

)

select * from checks
where broken_rule is not null

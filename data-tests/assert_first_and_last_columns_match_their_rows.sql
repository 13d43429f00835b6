-- Four raw columns summarise other rows: a creator's first_pledge_received_at and a patron's
-- first_pledge_at are the start of their earliest pledge, a creator's last_post_at is the
-- publication of their latest post (each null exactly when there is none), and a pledge's
-- is_first_pledge marks the patron's earliest pledge. A landing that loses or misreads one
-- (a typed load turning an unreadable value into NULL, or 'yes' into true) shows up here.
-- Returns the table, the column, the row key, the recorded and the expected value (as text).
with

creators as (
    select * from {{ ref('stg_creators') }}
),

patrons as (
    select * from {{ ref('stg_patrons') }}
),

pledges as (
    select * from {{ ref('stg_pledges') }}
),

posts as (
    select * from {{ ref('stg_posts') }}
),

first_pledge_of_creator as (
    select
        pledges.creator_id,
        min(pledges.started_at) as started_at
    from pledges
    group by 1
),

first_pledge_of_patron as (
    select
        pledges.patron_id,
        min(pledges.started_at) as started_at
    from pledges
    group by 1
),

last_post_of_creator as (
    select
        posts.creator_id,
        max(posts.published_at) as published_at
    from posts
    group by 1
),

compared as (
    select
        'stg_creators' as table_name,
        'first_pledge_received_at' as column_name,
        creators.creator_id as record_key,
        cast(creators.first_pledge_received_at as {{ dbt.type_string() }}) as recorded_value,
        cast(first_pledge_of_creator.started_at as {{ dbt.type_string() }}) as expected_value
    from creators
    left join first_pledge_of_creator
        on creators.creator_id = first_pledge_of_creator.creator_id

    union all

    select
        'stg_patrons' as table_name,
        'first_pledge_at' as column_name,
        patrons.patron_id as record_key,
        cast(patrons.first_pledge_at as {{ dbt.type_string() }}) as recorded_value,
        cast(first_pledge_of_patron.started_at as {{ dbt.type_string() }}) as expected_value
    from patrons
    left join first_pledge_of_patron
        on patrons.patron_id = first_pledge_of_patron.patron_id

    union all

    select
        'stg_creators' as table_name,
        'last_post_at' as column_name,
        creators.creator_id as record_key,
        cast(creators.last_post_at as {{ dbt.type_string() }}) as recorded_value,
        cast(last_post_of_creator.published_at as {{ dbt.type_string() }}) as expected_value
    from creators
    left join last_post_of_creator
        on creators.creator_id = last_post_of_creator.creator_id

    union all

    select
        'stg_pledges' as table_name,
        'is_first_pledge' as column_name,
        pledges.pledge_id as record_key,
        cast(pledges.is_first_pledge as {{ dbt.type_string() }}) as recorded_value,
        cast(
            pledges.started_at = first_pledge_of_patron.started_at as {{ dbt.type_string() }}
        ) as expected_value
    from pledges
    inner join first_pledge_of_patron
        on pledges.patron_id = first_pledge_of_patron.patron_id
)

select *
from compared
where
    (recorded_value is null) <> (expected_value is null)
    or recorded_value <> expected_value

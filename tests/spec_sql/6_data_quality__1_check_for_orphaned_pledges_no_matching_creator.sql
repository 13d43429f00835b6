-- Check for orphaned pledges (no matching creator)
SELECT p.pledge_id, p.creator_id
FROM patreon_dev.analytics_staging.stg_pledges p
LEFT JOIN patreon_dev.analytics_staging.stg_creators c ON p.creator_id = c.creator_id
WHERE c.creator_id IS NULL;

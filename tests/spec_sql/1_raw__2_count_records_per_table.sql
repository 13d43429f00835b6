-- Count records per table
SELECT 'creators' as table_name, COUNT(*) as row_count FROM patreon_dev.analytics_raw.creators
UNION ALL
SELECT 'patrons', COUNT(*) FROM patreon_dev.analytics_raw.patrons
UNION ALL
SELECT 'pledges', COUNT(*) FROM patreon_dev.analytics_raw.pledges
UNION ALL
SELECT 'transactions', COUNT(*) FROM patreon_dev.analytics_raw.transactions
UNION ALL
SELECT 'tiers', COUNT(*) FROM patreon_dev.analytics_raw.tiers
UNION ALL
SELECT 'posts', COUNT(*) FROM patreon_dev.analytics_raw.posts
UNION ALL
SELECT 'engagement_events', COUNT(*) FROM patreon_dev.analytics_raw.engagement_events;

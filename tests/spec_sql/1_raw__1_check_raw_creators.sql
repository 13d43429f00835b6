-- Check raw creators
SELECT * FROM patreon_dev.analytics_raw.creators LIMIT 10;

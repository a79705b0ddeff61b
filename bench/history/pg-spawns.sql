-- PG_SPAWNS spawns (psql variable spawns) of 20 models x 10 castes x 4 sources over the 30 days
-- of retention, with the lifetime aggregates they make, in a database of the schema before time
-- buckets (version 2), for the migration to count into them: bench/history/pg-spawns.sh.
INSERT INTO spawns (spawn_id, spawned_at, spawned_nanos, task, caste, model, source, outcome, completed_at, tokens,
    tools_read, tools_grep, tools_edit, tools_bash, usage_keys, created_version, version)
SELECT 'bench-' || i, now() - (i % 2592000) * interval '1 second', 0, 'a task of the bench',
    'caste-' || lpad((i / 20 % 10)::text, 2, '0'), 'model-' || lpad((i % 20)::text, 2, '0'), 'source-' || (i / 200 % 4),
    (ARRAY['completed', 'completed', 'failed', 'blocked', NULL])[i % 5 + 1],
    CASE WHEN i % 5 < 4 THEN now() - (i % 2592000) * interval '1 second' + (i % 3600) * interval '1 second' END,
    i % 5000, 1, 2, 3, 4, '{}', 0, 0
FROM generate_series(1, :spawns) AS i;
INSERT INTO model_stats (model, total_spawns, completed, failed, blocked, version)
SELECT model, count(*), count(*) FILTER (WHERE outcome = 'completed'), count(*) FILTER (WHERE outcome = 'failed'),
    count(*) FILTER (WHERE outcome = 'blocked'), 0 FROM spawns GROUP BY model;
INSERT INTO caste_stats (model, caste, spawns, completed, failed, blocked, tokens, tools_read, tools_grep, tools_edit,
    tools_bash, clock_skew, durations_completed, durations_failed, durations_blocked, version)
SELECT model, caste, count(*), count(*) FILTER (WHERE outcome = 'completed'), count(*) FILTER (WHERE outcome = 'failed'),
    count(*) FILTER (WHERE outcome = 'blocked'), sum(tokens), sum(tools_read), sum(tools_grep), sum(tools_edit),
    sum(tools_bash), 0, '{}', '{}', '{}', 0 FROM spawns GROUP BY model, caste;
UPDATE telemetry_state SET version = 1, last_updated = now();
ANALYZE;

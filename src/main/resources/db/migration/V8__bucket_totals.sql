-- Every spawn of each UTC hour and day, over all models and castes: what a trend of every
-- spawn reads, one row per bucket rather than one per model × caste (200 an hour for 20 models
-- of 10 castes), added to by the statement that adds to bucket_stats. Additive: a replica of the
-- version before keeps writing without it (its writes are then missing from these totals).

CREATE TABLE bucket_totals (
    bucket              text        NOT NULL CHECK (bucket IN ('hour', 'day')),
    bucket_start        timestamptz NOT NULL,
    spawns              bigint      NOT NULL,
    completed           bigint      NOT NULL,
    failed              bigint      NOT NULL,
    blocked             bigint      NOT NULL,
    tokens              bigint      NOT NULL,
    tools_read          bigint      NOT NULL,
    tools_grep          bigint      NOT NULL,
    tools_edit          bigint      NOT NULL,
    tools_bash          bigint      NOT NULL,
    clock_skew          bigint      NOT NULL,
    durations_completed bigint[]    NOT NULL,
    durations_failed    bigint[]    NOT NULL,
    durations_blocked   bigint[]    NOT NULL,
    zeros_completed     bigint      NOT NULL,
    zeros_failed        bigint      NOT NULL,
    zeros_blocked       bigint      NOT NULL,
    PRIMARY KEY (bucket, bucket_start)
);

CREATE AGGREGATE telemetry_sum_counts(bigint[]) (SFUNC = telemetry_add_counts, STYPE = bigint[], INITCOND = '{}');

INSERT INTO bucket_totals
SELECT bucket, bucket_start, sum(spawns), sum(completed), sum(failed), sum(blocked), sum(tokens), sum(tools_read),
    sum(tools_grep), sum(tools_edit), sum(tools_bash), sum(clock_skew), telemetry_sum_counts(durations_completed),
    telemetry_sum_counts(durations_failed), telemetry_sum_counts(durations_blocked), sum(zeros_completed),
    sum(zeros_failed), sum(zeros_blocked)
FROM bucket_stats
GROUP BY bucket, bucket_start;

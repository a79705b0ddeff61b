-- Time buckets (telemetry.history): what the spawns stamped within each UTC hour and day did,
-- per model × caste, and per routing source within them. A write adds what it changed to its
-- buckets in the statement that writes it, so a bucket counts every committed write once.
-- Additive: a replica of the version before keeps writing without them.

CREATE TABLE bucket_stats (
    bucket              text        NOT NULL CHECK (bucket IN ('hour', 'day')),
    bucket_start        timestamptz NOT NULL,
    model               text        NOT NULL,
    caste               text        NOT NULL,
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
    PRIMARY KEY (bucket, bucket_start, model, caste)
);
CREATE INDEX bucket_stats_caste ON bucket_stats (bucket, caste, bucket_start);

CREATE TABLE bucket_sources (
    bucket       text        NOT NULL CHECK (bucket IN ('hour', 'day')),
    bucket_start timestamptz NOT NULL,
    source       text        NOT NULL,
    model        text        NOT NULL,
    caste        text        NOT NULL,
    spawns       bigint      NOT NULL,
    completed    bigint      NOT NULL,
    failed       bigint      NOT NULL,
    blocked      bigint      NOT NULL,
    tokens       bigint      NOT NULL,
    PRIMARY KEY (bucket, bucket_start, source, model, caste)
);

-- histogram counts added position by position, the shorter array counting as zeros beyond its end
CREATE FUNCTION telemetry_add_counts(a bigint[], b bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}')
    FROM generate_series(1, greatest(coalesce(array_length(a, 1), 0), coalesce(array_length(b, 1), 0))) AS i
$$;

-- Off-policy evaluation (GET /routes/{caste}/evaluation): per UTC hour and day, per caste × task
-- class × model, the routed spawns that ended and the sums of their importance weights (w = 1/p for
-- the policy that always chooses the model, u = 1/(k p) for the uniform one; r = 1 if completed,
-- t = tokens), added to by the statement that records an outcome or usage. Additive: a replica of
-- the version before keeps writing without them (its outcomes are then missing from evaluations).

CREATE TABLE bucket_propensities (
    bucket                             text             NOT NULL CHECK (bucket IN ('hour', 'day')),
    bucket_start                       timestamptz      NOT NULL,
    caste                              text             NOT NULL,
    task_class                         text             NOT NULL,
    model                              text             NOT NULL,
    resolved                           bigint           NOT NULL,
    completed                          bigint           NOT NULL,
    tokens                             bigint           NOT NULL,
    always_weights                     double precision NOT NULL,
    always_weighted_successes          double precision NOT NULL,
    always_squared_weights             double precision NOT NULL,
    always_squared_weighted_successes  double precision NOT NULL,
    always_weighted_tokens             double precision NOT NULL,
    uniform_weights                    double precision NOT NULL,
    uniform_weighted_successes         double precision NOT NULL,
    uniform_squared_weights            double precision NOT NULL,
    uniform_squared_weighted_successes double precision NOT NULL,
    uniform_weighted_tokens            double precision NOT NULL,
    PRIMARY KEY (bucket, caste, bucket_start, task_class, model)
);

-- the routed spawns that ended before, counted in as their outcomes would have been
INSERT INTO bucket_propensities
SELECT b.bucket, date_trunc(b.bucket, s.spawned_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', s.caste,
    coalesce(s.route ->> 'task_class', 'default'), s.model, count(*),
    count(*) FILTER (WHERE s.outcome = 'completed'), sum(s.tokens),
    sum(w.w), sum(w.w * w.r), sum(w.w * w.w), sum(w.w * w.w * w.r), sum(w.w * s.tokens),
    sum(w.u), sum(w.u * w.r), sum(w.u * w.u), sum(w.u * w.u * w.r), sum(w.u * s.tokens)
FROM spawns s
CROSS JOIN LATERAL (SELECT 1 / nullif((s.route ->> 'propensity')::double precision, 0) AS w,
    1 / nullif((s.route ->> 'propensity')::double precision
        * greatest(1, jsonb_array_length(s.route -> 'candidates')), 0) AS u,
    CASE WHEN s.outcome = 'completed' THEN 1 ELSE 0 END AS r) w
CROSS JOIN (VALUES ('hour'), ('day')) AS b(bucket)
WHERE s.route IS NOT NULL AND s.outcome IS NOT NULL AND (s.route ->> 'propensity')::double precision > 0
GROUP BY 1, 2, 3, 4, 5;

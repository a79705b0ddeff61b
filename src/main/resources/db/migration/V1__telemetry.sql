-- The telemetry state of the PostgreSQL backend. Every write transaction locks the one row
-- of telemetry_state first, so writers of every replica take their locks in one order and
-- commit one after another; versions count commits.

CREATE TABLE telemetry_state (
    id           smallint    PRIMARY KEY CHECK (id = 1),
    version      bigint      NOT NULL,
    last_updated timestamptz
);
INSERT INTO telemetry_state (id, version, last_updated) VALUES (1, 0, NULL);

-- lifetime aggregates, never rotated
CREATE TABLE model_stats (
    model        text   PRIMARY KEY,
    total_spawns bigint NOT NULL,
    completed    bigint NOT NULL,
    failed       bigint NOT NULL,
    blocked      bigint NOT NULL,
    version      bigint NOT NULL
);

CREATE TABLE caste_stats (
    model               text     NOT NULL,
    caste               text     NOT NULL,
    spawns              bigint   NOT NULL,
    completed           bigint   NOT NULL,
    failed              bigint   NOT NULL,
    blocked             bigint   NOT NULL,
    tokens              bigint   NOT NULL,
    tools_read          bigint   NOT NULL,
    tools_grep          bigint   NOT NULL,
    tools_edit          bigint   NOT NULL,
    tools_bash          bigint   NOT NULL,
    clock_skew          bigint   NOT NULL,
    durations_completed bigint[] NOT NULL,
    durations_failed    bigint[] NOT NULL,
    durations_blocked   bigint[] NOT NULL,
    version             bigint   NOT NULL,
    PRIMARY KEY (model, caste)
);

-- every spawn within telemetry.storage.retention, and always the newest max-decisions
CREATE TABLE spawns (
    spawn_id        text        PRIMARY KEY,
    -- commit order: rows are inserted only while telemetry_state is locked
    seq             bigint      GENERATED ALWAYS AS IDENTITY,
    -- to the microsecond; spawned_nanos keeps the nanoseconds below it exactly
    spawned_at      timestamptz NOT NULL,
    spawned_nanos   integer     NOT NULL,
    task            text        NOT NULL,
    caste           text        NOT NULL,
    model           text        NOT NULL,
    source          text        NOT NULL,
    outcome         text        CHECK (outcome IN ('completed', 'failed', 'blocked')),
    completed_at    timestamptz,
    tokens          bigint      NOT NULL,
    tools_read      bigint      NOT NULL,
    tools_grep      bigint      NOT NULL,
    tools_edit      bigint      NOT NULL,
    tools_bash      bigint      NOT NULL,
    usage_keys      text[]      NOT NULL,
    created_version bigint      NOT NULL,
    version         bigint      NOT NULL
);
CREATE INDEX spawns_seq ON spawns (seq);
CREATE INDEX spawns_version ON spawns (version);
CREATE INDEX spawns_spawned_at ON spawns (spawned_at);

-- which transactions committed, so that a commit whose answer was lost can be told
CREATE TABLE commits (
    commit_id    uuid        PRIMARY KEY,
    version      bigint      NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT now()
);

-- telemetry.json files loaded by the import
CREATE TABLE imports (
    sha256      text        PRIMARY KEY,
    file        text        NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now()
);

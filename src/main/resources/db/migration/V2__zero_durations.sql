-- Durations of zero, counted apart within bucket 0 of each histogram, so that they are
-- reported as 0 rather than somewhere in the first second. Rows written before count none.
ALTER TABLE caste_stats
    ADD COLUMN zeros_completed bigint NOT NULL DEFAULT 0,
    ADD COLUMN zeros_failed    bigint NOT NULL DEFAULT 0,
    ADD COLUMN zeros_blocked   bigint NOT NULL DEFAULT 0;

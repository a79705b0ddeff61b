-- What an OpenTelemetry agent span reports beyond the spawn: the model that actually served
-- it where that was another than the one chosen, and why it failed or was blocked.
ALTER TABLE spawns ADD COLUMN served_model text, ADD COLUMN outcome_reason text;

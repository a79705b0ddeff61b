package dev.spawntelemetry.spawn;

import dev.spawntelemetry.store.Outcome;
import dev.spawntelemetry.store.SpawnRecord;
import dev.spawntelemetry.store.TelemetryState;
import dev.spawntelemetry.store.ToolUsage;
import dev.spawntelemetry.store.WriteCommand;

/**
 * Records how a spawn ended, once: the same outcome again is a retry and changes nothing,
 * a different one is a conflict.
 */
record RecordOutcome(String spawnId, Outcome outcome, long tokens,
		ToolUsage tools) implements WriteCommand<SpawnChange> {

	@Override
	public SpawnChange apply(TelemetryState state) {
		SpawnRecord current = state.find(this.spawnId).orElseThrow(() -> new SpawnNotFoundException(this.spawnId));
		if (current.outcome() == this.outcome) {
			return SpawnChange.unchanged(current);
		}
		if (current.outcome() != null) {
			throw new SpawnConflictException("Spawn '" + this.spawnId + "' already ended '"
					+ current.outcome().wireName() + "'; an outcome, once recorded, is never changed");
		}
		SpawnRecord ended = RecordUsage.withUsage(current, this.tokens, this.tools)
			.withOutcome(this.outcome, state.now());
		state.update(ended);
		return new SpawnChange(ended, true, this.tokens);
	}

}

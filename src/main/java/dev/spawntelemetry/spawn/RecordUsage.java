package dev.spawntelemetry.spawn;

import dev.spawntelemetry.store.SpawnRecord;
import dev.spawntelemetry.store.TelemetryState;
import dev.spawntelemetry.store.ToolUsage;
import dev.spawntelemetry.store.WriteCommand;

/**
 * Adds tokens and tool calls to a spawn.
 */
record RecordUsage(String spawnId, long tokens, ToolUsage tools) implements WriteCommand<SpawnChange> {

	@Override
	public SpawnChange apply(TelemetryState state) {
		SpawnRecord current = state.find(this.spawnId).orElseThrow(() -> new SpawnNotFoundException(this.spawnId));
		SpawnRecord updated = withUsage(current, this.tokens, this.tools);
		state.update(updated);
		return new SpawnChange(updated, true, this.tokens);
	}

	static SpawnRecord withUsage(SpawnRecord spawn, long tokens, ToolUsage tools) {
		try {
			return spawn.withUsageAdded(tokens, tools);
		}
		catch (ArithmeticException ex) {
			throw new LimitExceededException(
					"Spawn '" + spawn.spawnId() + "' cannot count more usage: a total would exceed " + Long.MAX_VALUE);
		}
	}

}

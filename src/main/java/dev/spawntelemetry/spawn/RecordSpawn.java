package dev.spawntelemetry.spawn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.SpawnRecord;
import dev.spawntelemetry.store.TelemetryState;
import dev.spawntelemetry.store.WriteCommand;

/**
 * Records a new spawn, or recognizes a retry of one already recorded.
 *
 * @param spawn the spawn to record
 * @param clientTimestamp the timestamp the client sent, which a retry must repeat; null
 * when the server chose it
 */
record RecordSpawn(SpawnRecord spawn, @Nullable Instant clientTimestamp,
		SpawnLimitsProperties limits) implements WriteCommand<SpawnChange> {

	@Override
	public SpawnChange apply(TelemetryState state) {
		SpawnRecord existing = state.find(this.spawn.spawnId()).orElse(null);
		if (existing != null) {
			List<String> differences = differencesFrom(existing);
			if (!differences.isEmpty()) {
				throw new SpawnConflictException("Spawn '" + this.spawn.spawnId()
						+ "' is already recorded with a different " + String.join(", ", differences)
						+ "; a retry must repeat the original spawn exactly, a new spawn needs a new spawn_id");
			}
			return SpawnChange.unchanged(existing);
		}
		checkLimits(state);
		state.add(this.spawn);
		return new SpawnChange(this.spawn, true, 0);
	}

	private List<String> differencesFrom(SpawnRecord existing) {
		List<String> differences = new ArrayList<>();
		if (!existing.task().equals(this.spawn.task())) {
			differences.add("task");
		}
		if (!existing.caste().equals(this.spawn.caste())) {
			differences.add("caste");
		}
		if (!existing.selectedModel().equals(this.spawn.selectedModel())) {
			differences.add("model");
		}
		if (!existing.source().equals(this.spawn.source())) {
			differences.add("source");
		}
		if (this.clientTimestamp != null && !Objects.equals(existing.timestamp(), this.clientTimestamp)) {
			differences.add("timestamp");
		}
		return differences;
	}

	private void checkLimits(TelemetryState state) {
		String model = this.spawn.selectedModel();
		if (!state.knowsModel(model) && state.modelCount() >= this.limits.maxModels()) {
			throw new LimitExceededException("Model '" + model + "' would be model number " + (state.modelCount() + 1)
					+ ", past the limit of " + this.limits.maxModels()
					+ " distinct models (telemetry.limits.max-models); spawns on known models are still recorded");
		}
		if (!state.knowsCaste(model, this.spawn.caste())
				&& state.casteCount(model) >= this.limits.maxCastesPerModel()) {
			throw new LimitExceededException("Caste '" + this.spawn.caste() + "' would be caste number "
					+ (state.casteCount(model) + 1) + " of model '" + model + "', past the limit of "
					+ this.limits.maxCastesPerModel()
					+ " castes per model (telemetry.limits.max-castes-per-model); known castes are still recorded");
		}
	}

}

package dev.spawntelemetry.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.problem.Refusal;
import dev.spawntelemetry.telemetry.EndedSpawn;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnChange;
import dev.spawntelemetry.telemetry.StorageHealth;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.telemetry.Usage;

/**
 * The port's writes and read model for a backend whose writes all go through this
 * process's single writer; the backend adds its history and its health.
 */
public abstract class SingleWriterStorage implements TelemetryStorage {

	private final TelemetryWriter writer;

	protected SingleWriterStorage(TelemetryWriter writer) {
		this.writer = writer;
	}

	@Override
	public final CompletableFuture<SpawnChange> recordSpawn(NewSpawn spawn) {
		return this.writer.submit("spawn " + spawn.spawnId(), (state) -> state.recordSpawn(spawn));
	}

	@Override
	public final CompletableFuture<SpawnChange> recordOutcome(String spawnId, Outcome outcome,
			@Nullable Instant completedAt, Usage usage) {
		return this.writer.submit("outcome of " + spawnId,
				(state) -> state.recordOutcome(spawnId, outcome, completedAt, usage));
	}

	@Override
	public final CompletableFuture<List<EndedSpawn.Recorded>> recordEndedSpawns(List<EndedSpawn> spawns) {
		return this.writer.submit(spawns.size() + " ended spawns", (state) -> {
			List<EndedSpawn.Recorded> recorded = new ArrayList<>(spawns.size());
			for (EndedSpawn spawn : spawns) {
				try {
					recorded.add(new EndedSpawn.Recorded(state.recordEndedSpawn(spawn), null));
				}
				catch (StorageUnavailableException ex) {
					throw ex;
				}
				catch (Refusal ex) {
					recorded.add(new EndedSpawn.Recorded(null, ex));
				}
			}
			return recorded;
		});
	}

	@Override
	public final CompletableFuture<SpawnChange> addUsage(String spawnId, Usage usage, @Nullable String idempotencyKey) {
		return this.writer.submit("usage of " + spawnId, (state) -> state.addUsage(spawnId, usage, idempotencyKey));
	}

	@Override
	public final TelemetrySnapshot current() {
		return this.writer.snapshot();
	}

	/** DOWN once the writer has died, whatever the backend says. */
	@Override
	public final StorageHealth health() {
		StorageHealth health = backendHealth();
		Throwable death = this.writer.death();
		if (death == null) {
			return health;
		}
		Map<String, Object> details = new LinkedHashMap<>(health.details());
		details.put("error",
				"the writer stopped after an internal error and takes no writes; restart the " + "process: " + death);
		return new StorageHealth(false, details);
	}

	/** Whether the backend itself can make writes durable now. */
	protected abstract StorageHealth backendHealth();

	protected final TelemetryWriter writer() {
		return this.writer;
	}

}

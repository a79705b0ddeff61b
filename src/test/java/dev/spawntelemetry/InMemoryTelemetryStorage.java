package dev.spawntelemetry;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.WorkingState;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.BucketQuery;
import dev.spawntelemetry.telemetry.EndedSpawn;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnChange;
import dev.spawntelemetry.telemetry.StorageHealth;
import dev.spawntelemetry.telemetry.Limits;
import dev.spawntelemetry.problem.Refusal;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.telemetry.TimeBucket;
import dev.spawntelemetry.telemetry.Usage;

/**
 * The port in memory, for web slice tests only, which check how answers map to HTTP: the
 * domain's own state applies each write at once, durable nowhere, and no time bucket is
 * kept. Every other test runs on a real backend.
 */
public final class InMemoryTelemetryStorage implements TelemetryStorage {

	private final WorkingState state;

	private volatile TelemetrySnapshot current = TelemetrySnapshot.empty();

	private volatile @Nullable Refusal refusal;

	private long version;

	public InMemoryTelemetryStorage(Clock clock) {
		this.state = new WorkingState(TelemetrySnapshot.empty(), 1000, new Limits(1000, 200),
				HistoryProperties.DEFAULTS, clock, WorkingState.NO_RETAINED_SPAWNS);
	}

	/** Refuses every write with this, as a backend that cannot take it would. */
	public void refuseWritesWith(@Nullable Refusal refusal) {
		this.refusal = refusal;
	}

	@Override
	public CompletableFuture<SpawnChange> recordSpawn(NewSpawn spawn) {
		return write((state) -> state.recordSpawn(spawn));
	}

	@Override
	public CompletableFuture<SpawnChange> recordOutcome(String spawnId, Outcome outcome, @Nullable Instant completedAt,
			Usage usage) {
		return write((state) -> state.recordOutcome(spawnId, outcome, completedAt, usage));
	}

	@Override
	public CompletableFuture<SpawnChange> addUsage(String spawnId, Usage usage, @Nullable String idempotencyKey) {
		return write((state) -> state.addUsage(spawnId, usage, idempotencyKey));
	}

	@Override
	public CompletableFuture<List<EndedSpawn.Recorded>> recordEndedSpawns(List<EndedSpawn> spawns) {
		return write((state) -> spawns.stream().map((spawn) -> {
			try {
				return new EndedSpawn.Recorded(state.recordEndedSpawn(spawn), null);
			}
			catch (Refusal ex) {
				return new EndedSpawn.Recorded(null, ex);
			}
		}).toList());
	}

	private synchronized <T> CompletableFuture<T> write(Function<WorkingState, T> change) {
		Refusal refusal = this.refusal;
		if (refusal != null) {
			return CompletableFuture.failedFuture(refusal);
		}
		try {
			T changed = change.apply(this.state);
			if (this.state.hasChanges()) {
				this.current = this.state.toSnapshot(++this.version);
			}
			return CompletableFuture.completedFuture(changed);
		}
		catch (Refusal ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public TelemetrySnapshot current() {
		return this.current;
	}

	@Override
	public List<TimeBucket> buckets(BucketQuery query) {
		return List.of();
	}

	@Override
	public StorageHealth health() {
		return new StorageHealth(true, Map.of("backend", "in-memory"));
	}

}

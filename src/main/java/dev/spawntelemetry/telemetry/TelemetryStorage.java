package dev.spawntelemetry.telemetry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The one port of every storage backend: the three writes, each answering what it changed
 * or why it was refused, and the current read model.
 * <p>
 * A write's future completes once the write is durable, or exceptionally with a
 * {@link dev.spawntelemetry.problem.Refusal}: {@link SpawnNotFoundException},
 * {@link SpawnConflictException}, {@link LimitExceededException},
 * {@link WriteNotAcceptedException} or {@link StorageUnavailableException}; a refused
 * write is visible nowhere. A retry is safe: the same spawn again, or the same outcome
 * again, changes nothing.
 */
public interface TelemetryStorage {

	/** Records a spawn, or recognizes a faithful retry of one (not counted again). */
	CompletableFuture<SpawnChange> recordSpawn(NewSpawn spawn);

	/**
	 * Records how a spawn ended, once, with its final usage: the same outcome again
	 * changes nothing, another one is a conflict.
	 * @param completedAt when it ended, not before the spawn's timestamp (else a
	 * conflict); absent for now
	 */
	CompletableFuture<SpawnChange> recordOutcome(String spawnId, Outcome outcome, @Nullable Instant completedAt,
			Usage usage);

	/**
	 * Records that a spawn ended now:
	 * {@link #recordOutcome(String, Outcome, Instant, Usage)}.
	 */
	default CompletableFuture<SpawnChange> recordOutcome(String spawnId, Outcome outcome, Usage usage) {
		return recordOutcome(spawnId, outcome, null, usage);
	}

	/**
	 * Records spawns that have ended, each with its outcome and usage, in one write: each
	 * is recorded whole, recognized as a faithful retry, or refused on its own (a
	 * {@link SpawnConflictException} or {@link LimitExceededException} in its
	 * {@link EndedSpawn.Recorded}) without stopping the others. The future fails only
	 * when nothing was applied.
	 */
	CompletableFuture<List<EndedSpawn.Recorded>> recordEndedSpawns(List<EndedSpawn> spawns);

	/**
	 * Adds usage to a spawn and to its model's and caste's lifetime usage. With an
	 * idempotency key, the same key again for the same spawn changes nothing: a retry
	 * after a lost answer is not counted twice.
	 * @param idempotencyKey the client's key for this report, or {@code null}
	 */
	CompletableFuture<SpawnChange> addUsage(String spawnId, Usage usage, @Nullable String idempotencyKey);

	/**
	 * The read model as of the last durable write this process knows of; never blocks.
	 * Its {@link TelemetrySnapshot#version() version} orders states: the same version is
	 * the same state.
	 */
	TelemetrySnapshot current();

	/**
	 * The time buckets a query selects that hold spawns, oldest first, as far back as
	 * {@code telemetry.history} keeps them; committed writes only. Their size grows with
	 * the buckets, models and sources they cover, never with the spawns counted in them.
	 * @throws StorageUnavailableException if the backend cannot be read now
	 */
	List<TimeBucket> buckets(BucketQuery query);

	/**
	 * Per model and task class, the propensity sums of the routed spawns counted in the
	 * time buckets a query selects (of its caste), summed over those buckets; committed
	 * writes only, as {@link #buckets}.
	 * @throws StorageUnavailableException if the backend cannot be read now
	 */
	default Map<String, Map<String, PropensitySums>> propensitySums(BucketQuery query) {
		Map<String, Map<String, PropensitySums>> sums = new TreeMap<>();
		for (TimeBucket bucket : buckets(query)) {
			bucket.byModel().forEach((model, stats) -> {
				if (!stats.propensitySums().isEmpty()) {
					sums.merge(model, stats.propensitySums(), PropensitySums::plus);
				}
			});
		}
		return sums;
	}

	/** Whether writes can be made durable now, and what an operator should know. */
	StorageHealth health();

}

package dev.spawntelemetry.telemetry;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The one port of every storage backend: the three writes, each answering what it changed
 * or why it was refused, and the current read model.
 * <p>
 * A write's future completes once the write is durable, or exceptionally with a
 * {@link TelemetryRefusal}: {@link SpawnNotFoundException},
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
	 */
	CompletableFuture<SpawnChange> recordOutcome(String spawnId, Outcome outcome, Usage usage);

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
	 * What the spawns stamped since a moment did, optionally of one caste, as far back as
	 * this backend keeps them (the decision log of the file, every spawn within the
	 * retention of the database), as aggregates whose size never grows with the number of
	 * spawns. Committed writes only.
	 * @param caste only spawns of this caste, or {@code null} for all
	 * @throws StorageUnavailableException if the backend cannot be read now
	 */
	SpawnWindow window(Instant since, @Nullable String caste);

	/** Whether writes can be made durable now, and what an operator should know. */
	StorageHealth health();

}

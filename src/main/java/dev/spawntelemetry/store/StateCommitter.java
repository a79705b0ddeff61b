package dev.spawntelemetry.store;

import java.util.function.Consumer;

import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * What a backend gives the single writer: where a batch of writes is applied and made
 * durable, all or nothing. Called only from the writer's thread.
 */
public interface StateCommitter {

	/** The state as last committed, read once before the writer starts. */
	TelemetrySnapshot load();

	/**
	 * Applies a batch to the latest committed state and makes what it changed durable.
	 * @param published the snapshot the writer published last
	 * @param batch applies the batch's writes to a working state
	 * @return the snapshot to publish, with a greater version if anything changed
	 * @throws StorageUnavailableException if the storage could not be reached or refused
	 * the commit; nothing of the batch is committed
	 * @throws RuntimeException if the batch could not be stored for another reason;
	 * nothing of it is committed
	 */
	TelemetrySnapshot commit(TelemetrySnapshot published, Consumer<WorkingState> batch);

	/**
	 * Called every second in which no write came, for housekeeping that must not slow a
	 * batch down (and that may retry what failed). A failure here changes no answer.
	 */
	default void idle() {
	}

}

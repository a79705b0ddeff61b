package dev.spawntelemetry.store.file;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.ChangeSet;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * Where the file backend's state lives durably: a JSON file and its journal. A seam for
 * the tests, which put a gate before it; nothing outside this package knows it.
 */
public interface StateStore {

	/**
	 * Reads the last persisted state, or an empty one when there is none yet.
	 */
	TelemetrySnapshot load();

	/**
	 * Makes the state after one batch durable, given what the batch changed. When this
	 * returns, the state survives a crash of the process or the machine.
	 * @throws dev.spawntelemetry.telemetry.StorageUnavailableException if the state could
	 * not be made durable; the previously persisted state is then still intact
	 */
	void persist(TelemetrySnapshot snapshot, ChangeSet changes);

	/**
	 * A spawn that left the decision log and is kept for its retention, or {@code null}.
	 */
	default @Nullable SpawnRecord retainedSpawn(String spawnId) {
		return null;
	}

	/** No batch came for a while: a moment to bring the file up to the journal. */
	default void idle() {
	}

}

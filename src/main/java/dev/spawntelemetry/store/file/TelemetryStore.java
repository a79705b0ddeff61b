package dev.spawntelemetry.store.file;

import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * Where the telemetry state lives durably. The embedded default keeps it in one JSON
 * file; nothing outside this package knows which store runs.
 */
public interface TelemetryStore {

	/**
	 * Reads the last persisted state, or an empty one when there is none yet.
	 */
	TelemetrySnapshot load();

	/**
	 * Makes the given state durable, replacing the previous one as a whole. When this
	 * returns, the state survives a crash of the process or the machine.
	 * @throws StorageException if the state could not be made durable; the previously
	 * persisted state is then still intact
	 */
	void persist(TelemetrySnapshot snapshot);

}

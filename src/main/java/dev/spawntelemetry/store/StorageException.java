package dev.spawntelemetry.store;

/**
 * A state could not be made durable. The last persisted state is intact; the writes of
 * the failed batch are visible nowhere.
 */
public class StorageException extends RuntimeException {

	public StorageException(String message, Throwable cause) {
		super(message, cause);
	}

}

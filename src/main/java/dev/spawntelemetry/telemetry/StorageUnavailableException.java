package dev.spawntelemetry.telemetry;

import dev.spawntelemetry.problem.ProblemType;
import dev.spawntelemetry.problem.Refusal;

/**
 * The storage could not make a write durable (a disk that refuses it, a database out of
 * reach). The write, and the writes that failed with it, are visible nowhere; what was
 * stored before is intact.
 */
public class StorageUnavailableException extends Refusal {

	private final String cause;

	public StorageUnavailableException(String cause, Throwable failure) {
		this(cause, failure, "The write was not applied: the service cannot store it right now. Retry later; "
				+ "/actuator/health shows the cause.");
	}

	private StorageUnavailableException(String cause, Throwable failure, String detail) {
		super(ProblemType.STORAGE_UNAVAILABLE, detail, RETRY_AFTER, failure);
		this.cause = cause;
	}

	/** A read that needs the storage, which cannot be read now; nothing was changed. */
	public static StorageUnavailableException forRead(String cause, Throwable failure) {
		return new StorageUnavailableException(cause, failure,
				"This read needs the storage, which cannot answer it now; answers served from memory, such as "
						+ "/stats, still work. Retry later; /actuator/health shows the cause.");
	}

	/**
	 * The storage did not take the write within the bounds the service sets it (a lock
	 * held elsewhere for longer, a statement that ran too long) and rolled it back.
	 */
	public static StorageUnavailableException notInTime(String cause, Throwable failure) {
		return new StorageUnavailableException(cause, failure,
				"The write was not applied: the storage did not take it in time (a lock held elsewhere or a slow "
						+ "statement) and rolled it back. Retry later.");
	}

	/**
	 * The storage failed while committing the write and could not be asked afterwards
	 * whether the commit went through.
	 */
	public static StorageUnavailableException outcomeUnknown(String cause, Throwable failure) {
		return new StorageUnavailableException(cause, failure,
				"The storage failed while committing the write, and whether it was applied is not known. Retry it "
						+ "later: a retry of the same write is recognized and not counted twice.");
	}

	/** What the storage said, for logs and health; not for clients. */
	public String storageCause() {
		return this.cause;
	}

}

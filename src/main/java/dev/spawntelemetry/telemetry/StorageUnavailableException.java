package dev.spawntelemetry.telemetry;

import dev.spawntelemetry.web.ProblemType;

import org.springframework.http.HttpStatus;

/**
 * The storage could not make a write durable (a disk that refuses it, a database out of
 * reach). The write, and the writes that failed with it, are visible nowhere; what was
 * stored before is intact.
 */
public class StorageUnavailableException extends TelemetryRefusal {

	private final String cause;

	public StorageUnavailableException(String cause, Throwable failure) {
		super(HttpStatus.SERVICE_UNAVAILABLE, ProblemType.STORAGE_UNAVAILABLE,
				"The write was not applied: the service cannot store it right now. Retry later; "
						+ "/actuator/health shows the cause.",
				RETRY_AFTER, failure);
		this.cause = cause;
	}

	/** What the storage said, for logs and health; not for clients. */
	public String storageCause() {
		return this.cause;
	}

}

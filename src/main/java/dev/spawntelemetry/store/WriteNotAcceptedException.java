package dev.spawntelemetry.store;

import java.time.Duration;

/**
 * A write the service could not take on now and did not apply: the writer's queue is
 * full, the write waited too long for its turn, or the service is stopping. Retrying
 * later is safe.
 */
public class WriteNotAcceptedException extends RuntimeException {

	private final Duration retryAfter;

	WriteNotAcceptedException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}

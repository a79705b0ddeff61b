package dev.spawntelemetry.telemetry;

import dev.spawntelemetry.problem.ProblemType;

import org.springframework.http.HttpStatus;

/**
 * A write the service could not take on now and did not apply: too many writes are
 * waiting, the write waited too long for its turn, or the service is stopping. Retrying
 * later is safe.
 */
public class WriteNotAcceptedException extends TelemetryRefusal {

	public WriteNotAcceptedException(String detail) {
		super(HttpStatus.SERVICE_UNAVAILABLE, ProblemType.OVERLOADED, detail, RETRY_AFTER, null);
	}

}

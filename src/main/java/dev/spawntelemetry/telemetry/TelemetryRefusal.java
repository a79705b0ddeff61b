package dev.spawntelemetry.telemetry;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.problem.ProblemType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A write or read the telemetry refused, carrying the problem it is answered with. A
 * refused write changed nothing.
 */
public abstract class TelemetryRefusal extends ErrorResponseException {

	/** How long a client should wait before retrying a write that was not applied. */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	protected TelemetryRefusal(HttpStatus status, ProblemType type, String detail) {
		this(status, type, detail, null, null);
	}

	protected TelemetryRefusal(HttpStatus status, ProblemType type, String detail, @Nullable Duration retryAfter,
			@Nullable Throwable cause) {
		super(status, type.problem(status, detail), cause);
		if (retryAfter != null) {
			getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
		}
	}

	@Override
	public String getMessage() {
		return String.valueOf(getBody().getDetail());
	}

}

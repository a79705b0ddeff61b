package dev.spawntelemetry.problem;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A request the service refused, with the type of problem it is answered with and the
 * detail a person can act on. A refused write changed nothing.
 */
public abstract class Refusal extends RuntimeException {

	/** How long a client should wait before retrying a write that was not applied. */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final ProblemType type;

	private final @Nullable Duration retryAfter;

	protected Refusal(ProblemType type, String detail) {
		this(type, detail, null, null);
	}

	protected Refusal(ProblemType type, String detail, @Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(detail, cause);
		this.type = type;
		this.retryAfter = retryAfter;
	}

	public ProblemType type() {
		return this.type;
	}

	/** When a retry may succeed; {@code null} when retrying the same request cannot. */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	@Override
	public String getMessage() {
		return String.valueOf(super.getMessage());
	}

}

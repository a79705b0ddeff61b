package dev.spawntelemetry.telemetry;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a spawned worker ended.
 */
public enum Outcome {

	COMPLETED("completed"), FAILED("failed"), BLOCKED("blocked");

	/**
	 * The wire names as a regular expression, for validation annotations, which take only
	 * constants; OutcomeTests checks that it names exactly the outcomes.
	 */
	public static final String PATTERN = "completed|failed|blocked";

	/** The allowed wire names, for messages: {@code completed, failed, blocked}. */
	public static final String ALLOWED = Arrays.stream(values())
		.map(Outcome::wireName)
		.collect(Collectors.joining(", "));

	private final String wireName;

	Outcome(String wireName) {
		this.wireName = wireName;
	}

	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	public static Optional<Outcome> fromWireName(String name) {
		return Arrays.stream(values()).filter((outcome) -> outcome.wireName.equals(name)).findFirst();
	}

}

package dev.spawntelemetry.routing;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the routing policy maximizes. */
public enum Objective {

	/** The resolved success rate. */
	SUCCESS("success"),

	/** The resolved success rate per token a spawn of the model uses for the caste. */
	SUCCESS_PER_TOKEN("success-per-token");

	static final String ALLOWED = Arrays.stream(values()).map(Objective::wireName).collect(Collectors.joining(", "));

	private final String wireName;

	Objective(String wireName) {
		this.wireName = wireName;
	}

	@JsonValue
	public String wireName() {
		return this.wireName;
	}

	static Optional<Objective> fromWireName(String name) {
		return Arrays.stream(values()).filter((objective) -> objective.wireName.equals(name)).findFirst();
	}

}

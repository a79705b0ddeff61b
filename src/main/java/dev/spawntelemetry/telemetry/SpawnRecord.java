package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One routing decision: a worker spawned for a task, the model chosen for it and, once
 * known, how it ended and what it used.
 *
 * @param route how the service chose the model, or null when the client chose it
 * @param servedModel the model that actually served the spawn where its reporter says it
 * was another than the one chosen (an OpenTelemetry span's
 * {@code gen_ai.response.model}), else null
 * @param outcomeReason why it failed or was blocked, where its reporter says (an
 * OpenTelemetry span's {@code error.type}), else null
 * @param usageKeys the {@code Idempotency-Key}s of the usage already added to this spawn,
 * oldest first, at most {@link #MAX_USAGE_KEYS}; kept with the spawn, not shown in the
 * API
 */
public record SpawnRecord(String spawnId, Instant timestamp, String task, String caste, String selectedModel,
		String source, @Nullable Outcome outcome, @Nullable Instant completedAt, long tokens, ToolUsage tools,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Route route,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String servedModel,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String outcomeReason, @JsonIgnore List<String> usageKeys) {

	/**
	 * How far ahead of the service's clock a client's clock may run when it says when a
	 * spawn ended.
	 */
	public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	/** Far more retries of distinct usage reports than one spawn sees. */
	public static final int MAX_USAGE_KEYS = 100;

	public SpawnRecord {
		usageKeys = List.copyOf(usageKeys);
	}

	/** A spawn with no usage reported under an idempotency key yet. */
	public SpawnRecord(String spawnId, Instant timestamp, String task, String caste, String selectedModel,
			String source, @Nullable Outcome outcome, @Nullable Instant completedAt, long tokens, ToolUsage tools) {
		this(spawnId, timestamp, task, caste, selectedModel, source, outcome, completedAt, tokens, tools, null, null,
				null, List.of());
	}

	/** A spawn whose model the client chose. */
	public SpawnRecord(String spawnId, Instant timestamp, String task, String caste, String selectedModel,
			String source, @Nullable Outcome outcome, @Nullable Instant completedAt, long tokens, ToolUsage tools,
			List<String> usageKeys) {
		this(spawnId, timestamp, task, caste, selectedModel, source, outcome, completedAt, tokens, tools, null, null,
				null, usageKeys);
	}

	/** A spawn the service routed, or one whose model the client chose. */
	public SpawnRecord(String spawnId, Instant timestamp, String task, String caste, String selectedModel,
			String source, @Nullable Outcome outcome, @Nullable Instant completedAt, long tokens, ToolUsage tools,
			@Nullable Route route, List<String> usageKeys) {
		this(spawnId, timestamp, task, caste, selectedModel, source, outcome, completedAt, tokens, tools, route, null,
				null, usageKeys);
	}

	public SpawnRecord withOutcome(Outcome outcome, Instant completedAt) {
		return withOutcome(outcome, completedAt, this.servedModel, this.outcomeReason);
	}

	/**
	 * This record ended, with the model that served it and the reason it ended as its
	 * reporter states them.
	 */
	public SpawnRecord withOutcome(Outcome outcome, Instant completedAt, @Nullable String servedModel,
			@Nullable String outcomeReason) {
		return new SpawnRecord(this.spawnId, this.timestamp, this.task, this.caste, this.selectedModel, this.source,
				outcome, completedAt, this.tokens, this.tools, this.route, servedModel, outcomeReason, this.usageKeys);
	}

	/**
	 * Adds usage to this record.
	 * @throws LimitExceededException if a total would overflow
	 */
	public SpawnRecord withUsageAdded(Usage usage) {
		try {
			return new SpawnRecord(this.spawnId, this.timestamp, this.task, this.caste, this.selectedModel, this.source,
					this.outcome, this.completedAt, Math.addExact(this.tokens, usage.tokens()),
					this.tools.plus(usage.tools()), this.route, this.servedModel, this.outcomeReason, this.usageKeys);
		}
		catch (ArithmeticException ex) {
			throw LimitExceededException.usageOverflow(this.spawnId);
		}
	}

	/** Whether usage was already added under this idempotency key. */
	public boolean hasUsageKey(String key) {
		return this.usageKeys.contains(key);
	}

	/**
	 * This record, remembering one more idempotency key (forgetting the oldest beyond the
	 * bound).
	 */
	public SpawnRecord withUsageKey(String key) {
		List<String> keys = new ArrayList<>(this.usageKeys);
		keys.add(key);
		while (keys.size() > MAX_USAGE_KEYS) {
			keys.remove(0);
		}
		return new SpawnRecord(this.spawnId, this.timestamp, this.task, this.caste, this.selectedModel, this.source,
				this.outcome, this.completedAt, this.tokens, this.tools, this.route, this.servedModel,
				this.outcomeReason, keys);
	}

}

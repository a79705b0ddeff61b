package dev.spawntelemetry.store;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One routing decision: a worker spawned for a task, the model chosen for it and, once
 * known, how it ended and what it used.
 */
public record SpawnRecord(String spawnId, Instant timestamp, String task, String caste, String selectedModel,
		String source, @Nullable Outcome outcome, @Nullable Instant completedAt, long tokens, ToolUsage tools) {

	public SpawnRecord withOutcome(Outcome outcome, Instant completedAt) {
		return new SpawnRecord(this.spawnId, this.timestamp, this.task, this.caste, this.selectedModel, this.source,
				outcome, completedAt, this.tokens, this.tools);
	}

	/**
	 * Adds usage to this record.
	 * @throws ArithmeticException if a total overflows
	 */
	public SpawnRecord withUsageAdded(long tokens, ToolUsage tools) {
		return new SpawnRecord(this.spawnId, this.timestamp, this.task, this.caste, this.selectedModel, this.source,
				this.outcome, this.completedAt, Math.addExact(this.tokens, tokens), this.tools.plus(tools));
	}

}

package dev.spawntelemetry.stats;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.ToolUsage;

/**
 * The answer of {@code GET /stats/models/{model}}.
 */
record ModelDetail(String model, long totalSpawns, long successfulCompletions, long failedCompletions, long blocked,
		double successRate, long tokens, ToolUsage tools, @Nullable Double tokensPerCompletedSpawn, long clockSkew,
		Map<String, DurationSummary> durations, Map<String, ModelSummary.CasteSummary> byCaste) {

	static ModelDetail of(String model, ModelStats stats, ModelSummary summary) {
		return new ModelDetail(model, summary.totalSpawns(), summary.successfulCompletions(),
				summary.failedCompletions(), summary.blocked(), summary.successRate(), summary.tokens(),
				summary.tools(), summary.tokensPerCompletedSpawn(), stats.clockSkew(),
				DurationSummary.perOutcome(stats::durations), summary.byCaste());
	}

}

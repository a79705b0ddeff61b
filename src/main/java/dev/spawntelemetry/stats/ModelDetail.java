package dev.spawntelemetry.stats;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.ToolUsage;

/**
 * The answer of {@code GET /stats/models/{model}}.
 */
record ModelDetail(String model, long totalSpawns, @JsonProperty("successful_completions") long completed,
		@JsonProperty("failed_completions") long failed, long blocked, double successRate, long tokens, ToolUsage tools,
		@Nullable Double tokensPerCompletedSpawn, long clockSkew, Map<String, DurationSummary> durations,
		Map<String, ModelSummary.CasteSummary> byCaste, ServedModels served) {

	static ModelDetail of(String model, ModelStats stats, ModelSummary summary, List<SpawnRecord> decisions) {
		return new ModelDetail(model, summary.totalSpawns(), summary.completed(), summary.failed(), summary.blocked(),
				summary.successRate(), summary.tokens(), summary.tools(), summary.tokensPerCompletedSpawn(),
				stats.clockSkew(), DurationSummary.perOutcome(stats::durations), summary.byCaste(),
				ServedModels.of(model, decisions));
	}

}

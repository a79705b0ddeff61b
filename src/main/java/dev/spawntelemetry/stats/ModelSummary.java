package dev.spawntelemetry.stats;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.ToolUsage;

/**
 * One model's lifetime counters, success rate and usage, in total and per caste.
 */
record ModelSummary(long totalSpawns, @JsonProperty("successful_completions") long completed,
		@JsonProperty("failed_completions") long failed, long blocked, double successRate, long tokens, ToolUsage tools,
		@Nullable Double tokensPerCompletedSpawn, Map<String, CasteSummary> byCaste) {

	static ModelSummary of(ModelStats stats) {
		Map<String, CasteSummary> castes = new LinkedHashMap<>();
		stats.byCaste().forEach((caste, casteStats) -> castes.put(caste, CasteSummary.of(casteStats)));
		long tokens = stats.tokens();
		return new ModelSummary(stats.totalSpawns(), stats.completed(), stats.failed(), stats.blocked(),
				Rates.successRate(stats.completed(), stats.totalSpawns()), tokens, stats.tools(),
				Rates.tokensPerCompletedSpawn(tokens, stats.completed()), castes);
	}

	/**
	 * One caste's lifetime counters on one model, named as in the file, with its usage
	 * and durations.
	 */
	record CasteSummary(long spawns, @JsonProperty("success") long completed, @JsonProperty("failures") long failed,
			long blocked, double successRate, long tokens, ToolUsage tools, @Nullable Double tokensPerCompletedSpawn,
			long clockSkew, Map<String, DurationSummary> durations) {

		static CasteSummary of(CasteStats stats) {
			return new CasteSummary(stats.spawns(), stats.completed(), stats.failed(), stats.blocked(),
					Rates.successRate(stats.completed(), stats.spawns()), stats.tokens(), stats.tools(),
					Rates.tokensPerCompletedSpawn(stats.tokens(), stats.completed()), stats.clockSkew(),
					DurationSummary.perOutcome(stats::durations));
		}

	}

}

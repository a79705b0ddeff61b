package dev.spawntelemetry.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.spawntelemetry.telemetry.ModelStats;

/**
 * The answer of {@code GET /stats/ranking}: models by success rate, ties broken by more
 * spawns first, then by name.
 */
record Ranking(List<RankedModel> models) {

	/** Compares exact rates, so that rounding never creates or breaks a tie. */
	private static final Comparator<Map.Entry<String, ModelStats>> BEST_FIRST = ((Comparator<Map.Entry<String, ModelStats>>) (
			a, b) -> Long.compare(b.getValue().completed() * a.getValue().totalSpawns(),
					a.getValue().completed() * b.getValue().totalSpawns()))
		.thenComparing((entry) -> entry.getValue().totalSpawns(), Comparator.reverseOrder())
		.thenComparing(Map.Entry::getKey);

	static Ranking of(Map<String, ModelStats> models) {
		List<Map.Entry<String, ModelStats>> ordered = new ArrayList<>(models.entrySet());
		ordered.sort(BEST_FIRST);
		List<RankedModel> ranked = new ArrayList<>(ordered.size());
		for (Map.Entry<String, ModelStats> entry : ordered) {
			ModelStats stats = entry.getValue();
			ranked.add(new RankedModel(ranked.size() + 1, entry.getKey(), stats.totalSpawns(), stats.completed(),
					stats.failed(), stats.blocked(), Rates.successRate(stats.completed(), stats.totalSpawns())));
		}
		return new Ranking(ranked);
	}

	record RankedModel(int rank, String model, long totalSpawns, @JsonProperty("successful_completions") long completed,
			@JsonProperty("failed_completions") long failed, long blocked, double successRate) {

	}

}

package dev.spawntelemetry.stats;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;

/**
 * The benchmark's door to {@code GET /recommendations}' own ranking: greedy on the lower
 * bound of the Wilson interval of the lifetime counters.
 */
public final class TodaysRecommendation {

	private TodaysRecommendation() {
	}

	/** The recommended model, or null when none has {@code minResolved} outcomes. */
	public static @Nullable String recommended(String caste, int minResolved, Map<String, CasteStats> byModel) {
		return Recommendation.of(caste, minResolved, null, byModel).recommended();
	}

}

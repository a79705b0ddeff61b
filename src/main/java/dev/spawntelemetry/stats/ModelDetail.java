package dev.spawntelemetry.stats;

import java.util.Map;

/**
 * The answer of {@code GET /stats/models/{model}}.
 */
record ModelDetail(String model, long totalSpawns, long successfulCompletions, long failedCompletions, long blocked,
		double successRate, Map<String, ModelSummary.CasteSummary> byCaste) {

	static ModelDetail of(String model, ModelSummary summary) {
		return new ModelDetail(model, summary.totalSpawns(), summary.successfulCompletions(),
				summary.failedCompletions(), summary.blocked(), summary.successRate(), summary.byCaste());
	}

}

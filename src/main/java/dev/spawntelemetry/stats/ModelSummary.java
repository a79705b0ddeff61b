package dev.spawntelemetry.stats;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.spawntelemetry.store.CasteStats;
import dev.spawntelemetry.store.ModelStats;

/**
 * One model's lifetime counters and success rate, in total and per caste.
 */
record ModelSummary(long totalSpawns, long successfulCompletions, long failedCompletions, long blocked,
		double successRate, Map<String, CasteSummary> byCaste) {

	static ModelSummary of(ModelStats stats) {
		Map<String, CasteSummary> castes = new LinkedHashMap<>();
		stats.byCaste().forEach((caste, casteStats) -> castes.put(caste, CasteSummary.of(casteStats)));
		return new ModelSummary(stats.totalSpawns(), stats.successfulCompletions(), stats.failedCompletions(),
				stats.blocked(), SuccessRate.of(stats.successfulCompletions(), stats.totalSpawns()), castes);
	}

	/**
	 * One caste's lifetime counters on one model, named as in the file.
	 */
	record CasteSummary(long spawns, long success, long failures, long blocked, double successRate) {

		static CasteSummary of(CasteStats stats) {
			return new CasteSummary(stats.spawns(), stats.success(), stats.failures(), stats.blocked(),
					SuccessRate.of(stats.success(), stats.spawns()));
		}

	}

}

package dev.spawntelemetry.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * The answer of {@code GET /stats}: what dashboards poll.
 *
 * @param recentDecisions the newest decisions, oldest of them first
 */
record StatsSummary(long totalSpawns, int totalModels, Map<String, ModelSummary> models,
		List<SpawnRecord> recentDecisions) {

	static final int RECENT_DECISIONS = 10;

	static StatsSummary of(TelemetrySnapshot snapshot) {
		Map<String, ModelSummary> models = new LinkedHashMap<>();
		snapshot.models().forEach((model, stats) -> models.put(model, ModelSummary.of(stats)));
		List<SpawnRecord> decisions = snapshot.decisions();
		List<SpawnRecord> recent = decisions.subList(Math.max(0, decisions.size() - RECENT_DECISIONS),
				decisions.size());
		return new StatsSummary(snapshot.totalSpawns(), models.size(), models, recent);
	}

}

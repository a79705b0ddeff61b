package dev.spawntelemetry.stats;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.SpawnRecord;

/**
 * The answer of {@code GET /stats/routing}: how the decisions still in the log were
 * routed.
 *
 * @param dateRange the earliest and latest decision counted, or null when none was
 */
record RoutingStats(int totalDecisions, Map<String, Integer> bySource, Map<String, Integer> byModel,
		@Nullable DateRange dateRange) {

	static RoutingStats of(Iterable<SpawnRecord> decisions) {
		Map<String, Integer> bySource = new TreeMap<>();
		Map<String, Integer> byModel = new TreeMap<>();
		int total = 0;
		Instant earliest = null;
		Instant latest = null;
		for (SpawnRecord decision : decisions) {
			total++;
			bySource.merge(decision.source(), 1, Integer::sum);
			byModel.merge(decision.selectedModel(), 1, Integer::sum);
			Instant at = decision.timestamp();
			earliest = (earliest == null || at.isBefore(earliest)) ? at : earliest;
			latest = (latest == null || at.isAfter(latest)) ? at : latest;
		}
		DateRange range = (earliest != null) ? new DateRange(earliest, latest) : null;
		return new RoutingStats(total, bySource, byModel, range);
	}

	record DateRange(Instant earliest, Instant latest) {

	}

}

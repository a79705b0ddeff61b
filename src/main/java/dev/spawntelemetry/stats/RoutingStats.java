package dev.spawntelemetry.stats;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.SpawnWindow;

/**
 * The answer of {@code GET /stats/routing}: how the decisions still in the log, or the
 * spawns of a window, were routed.
 *
 * @param dateRange the earliest and latest decision counted, or null when none was; over
 * a window of days, the start of the first bucket and the end of the last one that hold
 * spawns
 * @param window the whole time buckets counted, or null for the decisions in the log
 */
record RoutingStats(long totalDecisions, Map<String, Long> bySource, Map<String, Long> byModel,
		@Nullable DateRange dateRange, @Nullable Interval window) {

	static RoutingStats of(SpawnWindow window, @Nullable Interval interval) {
		Map<String, Long> byModel = new TreeMap<>();
		window.byModel().forEach((model, stats) -> byModel.put(model, stats.spawns()));
		DateRange range = (window.earliest() != null && window.latest() != null)
				? new DateRange(window.earliest(), window.latest()) : null;
		return new RoutingStats(window.spawns(), new TreeMap<>(window.bySource()), byModel, range, interval);
	}

	record DateRange(Instant earliest, Instant latest) {

	}

}

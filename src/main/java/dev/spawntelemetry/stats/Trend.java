package dev.spawntelemetry.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.CasteStatsSum;
import dev.spawntelemetry.telemetry.DurationHistogram;
import dev.spawntelemetry.telemetry.TimeBucket;

/**
 * The answer of {@code GET /stats/trends}: one point per bucket of the interval, empty
 * buckets included, and their total, which equals the window read over the same buckets.
 *
 * @param model only this model's spawns, or null for all
 * @param caste only this caste's spawns, or null for all
 * @param source only this routing source's spawns, or null for all; with it, the points
 * have no durations
 */
record Trend(String bucket, Instant from, Instant to, @Nullable String model, @Nullable String caste,
		@Nullable String source, Point total, List<Point> points) {

	static Trend of(Interval interval, @Nullable String model, @Nullable String caste, @Nullable String source,
			List<TimeBucket> buckets) {
		Map<Instant, CasteStats> byStart = new HashMap<>();
		CasteStatsSum total = new CasteStatsSum();
		for (TimeBucket bucket : buckets) {
			CasteStatsSum sum = new CasteStatsSum();
			bucket.byModel().values().forEach(sum::add);
			CasteStats stats = sum.toStats();
			byStart.put(bucket.start(), stats);
			total.add(stats);
		}
		boolean durations = source == null;
		List<Point> points = new ArrayList<>();
		for (Instant start = interval.from(); start
			.isBefore(interval.to()); start = start.plus(interval.size().length())) {
			points.add(Point.of(start, start.plus(interval.size().length()),
					byStart.getOrDefault(start, CasteStats.NONE), durations));
		}
		return new Trend(interval.bucket(), interval.from(), interval.to(), model, caste, source,
				Point.of(interval.from(), interval.to(), total.toStats(), durations), points);
	}

	/**
	 * What the spawns stamped within one bucket (or the whole interval) did.
	 *
	 * @param open spawns with no outcome yet
	 * @param successRate completed / spawns, open ones included
	 * @param resolvedSuccessRate completed / (completed + failed + blocked), or null when
	 * none is resolved
	 * @param wilson its 95% Wilson interval, or null when none is resolved
	 * @param p50Seconds the median time from spawn to outcome over every outcome, or null
	 * when none is known
	 * @param p90Seconds the 90th percentile of that time, or null
	 */
	record Point(Instant start, Instant end, long spawns, long completed, long failed, long blocked, long open,
			double successRate, @Nullable Double resolvedSuccessRate, @Nullable WilsonInterval wilson, long tokens,
			@Nullable Double p50Seconds, @Nullable Double p90Seconds) {

		static Point of(Instant start, Instant end, CasteStats stats, boolean withDurations) {
			long resolved = stats.completed() + stats.failed() + stats.blocked();
			WilsonInterval wilson = WilsonInterval.of(stats.completed(), resolved);
			DurationHistogram durations = DurationHistogram.EMPTY;
			for (DurationHistogram histogram : stats.durations().values()) {
				durations = durations.plus(histogram);
			}
			boolean known = withDurations && durations.total() > 0;
			return new Point(start, end, stats.spawns(), stats.completed(), stats.failed(), stats.blocked(),
					Math.max(0, stats.spawns() - resolved), Rates.successRate(stats.completed(), stats.spawns()),
					Rates.resolvedSuccessRate(stats.completed(), resolved), (wilson != null) ? wilson.rounded() : null,
					stats.tokens(), known ? seconds(durations, 0.5) : null, known ? seconds(durations, 0.9) : null);
		}

		private static double seconds(DurationHistogram durations, double quantile) {
			return durations.percentile(quantile).toMillis() / 1000.0;
		}

	}

}

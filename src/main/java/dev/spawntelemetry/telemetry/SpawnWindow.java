package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What the spawns stamped since some moment did, as aggregates: whatever the number of
 * spawns, its size grows only with the models and sources among them.
 *
 * @param byModel per model, what its spawns of the window did (of one caste, or of all
 * castes together), counted as the lifetime aggregates count
 * @param bySource spawns per routing source
 * @param earliest the timestamp of the window's earliest spawn (of time buckets: the
 * start of the earliest bucket holding one), or {@code null} if none
 * @param latest the timestamp of the window's latest spawn (of time buckets: the end of
 * the latest bucket holding one), or {@code null} if none
 */
public record SpawnWindow(Map<String, CasteStats> byModel, Map<String, Long> bySource, @Nullable Instant earliest,
		@Nullable Instant latest) {

	public SpawnWindow {
		byModel = Map.copyOf(byModel);
		bySource = Map.copyOf(bySource);
	}

	/** The aggregates of a few spawns held in memory, such as a decision log. */
	public static SpawnWindow of(Iterable<SpawnRecord> spawns) {
		Map<String, CasteStats> byModel = new TreeMap<>();
		Map<String, Long> bySource = new TreeMap<>();
		Instant earliest = null;
		Instant latest = null;
		for (SpawnRecord spawn : spawns) {
			CasteStats stats = byModel.getOrDefault(spawn.selectedModel(), CasteStats.NONE)
				.withSpawn()
				.withUsage(spawn.tokens(), spawn.tools());
			if (spawn.outcome() != null && spawn.completedAt() != null) {
				stats = stats.withOutcome(spawn.outcome(), Duration.between(spawn.timestamp(), spawn.completedAt()));
			}
			byModel.put(spawn.selectedModel(), stats);
			bySource.merge(spawn.source(), 1L, Long::sum);
			Instant at = spawn.timestamp();
			earliest = (earliest == null || at.isBefore(earliest)) ? at : earliest;
			latest = (latest == null || at.isAfter(latest)) ? at : latest;
		}
		return new SpawnWindow(byModel, bySource, earliest, latest);
	}

	/** The sums of some time buckets of one size. */
	public static SpawnWindow of(List<TimeBucket> buckets, BucketSize size) {
		Map<String, CasteStatsSum> sums = new TreeMap<>();
		Map<String, Long> bySource = new TreeMap<>();
		for (TimeBucket bucket : buckets) {
			bucket.byModel()
				.forEach((model, stats) -> sums.computeIfAbsent(model, (name) -> new CasteStatsSum()).add(stats));
			bucket.bySource().forEach((source, spawns) -> bySource.merge(source, spawns, Long::sum));
		}
		Map<String, CasteStats> byModel = new TreeMap<>();
		sums.forEach((model, sum) -> byModel.put(model, sum.toStats()));
		return new SpawnWindow(byModel, bySource, buckets.isEmpty() ? null : buckets.get(0).start(),
				buckets.isEmpty() ? null : buckets.get(buckets.size() - 1).start().plus(size.length()));
	}

	/**
	 * This window and another of spawns it does not hold, as one: sums of both, from the
	 * earlier start to the later end.
	 */
	public SpawnWindow plus(SpawnWindow other) {
		Map<String, CasteStats> byModel = new TreeMap<>(this.byModel);
		other.byModel.forEach((model, stats) -> byModel.merge(model, stats, CasteStats::plus));
		Map<String, Long> bySource = new TreeMap<>(this.bySource);
		other.bySource.forEach((source, spawns) -> bySource.merge(source, spawns, Long::sum));
		return new SpawnWindow(byModel, bySource, earlier(this.earliest, other.earliest),
				later(this.latest, other.latest));
	}

	/** This window with its first and last spawn known more precisely. */
	public SpawnWindow within(@Nullable Instant earliest, @Nullable Instant latest) {
		return new SpawnWindow(this.byModel, this.bySource, earliest, latest);
	}

	private static @Nullable Instant earlier(@Nullable Instant a, @Nullable Instant b) {
		return (a == null) ? b : (b == null || a.isBefore(b)) ? a : b;
	}

	private static @Nullable Instant later(@Nullable Instant a, @Nullable Instant b) {
		return (a == null) ? b : (b == null || a.isAfter(b)) ? a : b;
	}

	/** Spawns in the window. */
	public long spawns() {
		return this.byModel.values().stream().mapToLong(CasteStats::spawns).sum();
	}

}

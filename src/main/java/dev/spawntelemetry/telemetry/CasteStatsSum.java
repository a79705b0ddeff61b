package dev.spawntelemetry.telemetry;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * A running sum of {@link CasteStats}, for reads that add up many of them (time buckets):
 * it adds into its own counters rather than making a new record per addition. Not
 * thread-safe; one per read.
 */
public final class CasteStatsSum {

	private long spawns;

	private long completed;

	private long failed;

	private long blocked;

	private long tokens;

	private long read;

	private long grep;

	private long edit;

	private long bash;

	private long clockSkew;

	private final long[][] durations = new long[Outcome.values().length][];

	private final long[] zeros = new long[Outcome.values().length];

	private final Map<String, PropensitySums> propensitySums = new HashMap<>();

	/**
	 * Adds one.
	 * @throws ArithmeticException if a sum overflows
	 */
	public CasteStatsSum add(CasteStats stats) {
		this.spawns = Math.addExact(this.spawns, stats.spawns());
		this.completed = Math.addExact(this.completed, stats.completed());
		this.failed = Math.addExact(this.failed, stats.failed());
		this.blocked = Math.addExact(this.blocked, stats.blocked());
		this.tokens = Math.addExact(this.tokens, stats.tokens());
		ToolUsage tools = stats.tools();
		this.read = Math.addExact(this.read, tools.read());
		this.grep = Math.addExact(this.grep, tools.grep());
		this.edit = Math.addExact(this.edit, tools.edit());
		this.bash = Math.addExact(this.bash, tools.bash());
		this.clockSkew = Math.addExact(this.clockSkew, stats.clockSkew());
		stats.durations().forEach((outcome, histogram) -> {
			int index = outcome.ordinal();
			if (this.durations[index] == null) {
				this.durations[index] = new long[DurationHistogram.BUCKETS];
			}
			histogram.addTo(this.durations[index]);
			this.zeros[index] += histogram.zeros();
		});
		stats.propensitySums()
			.forEach((taskClass, sums) -> this.propensitySums.merge(taskClass, sums, PropensitySums::plus));
		return this;
	}

	public CasteStats toStats() {
		Map<Outcome, DurationHistogram> histograms = new EnumMap<>(Outcome.class);
		for (Outcome outcome : Outcome.values()) {
			long[] counts = this.durations[outcome.ordinal()];
			if (counts != null) {
				DurationHistogram histogram = DurationHistogram.of(counts, this.zeros[outcome.ordinal()]);
				if (histogram.total() > 0) {
					histograms.put(outcome, histogram);
				}
			}
		}
		return new CasteStats(this.spawns, this.completed, this.failed, this.blocked, this.tokens,
				new ToolUsage(this.read, this.grep, this.edit, this.bash), this.clockSkew, histograms,
				RouteEvidence.NONE, this.propensitySums);
	}

}

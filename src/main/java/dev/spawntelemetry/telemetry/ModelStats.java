package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Lifetime counters of one model, in total and per caste. Never rotated. Usage and
 * durations are kept per caste; the model's are their sums.
 */
public record ModelStats(long totalSpawns, long completed, long failed, long blocked, Map<String, CasteStats> byCaste) {

	public static final ModelStats NONE = new ModelStats(0, 0, 0, 0, Map.of());

	public ModelStats {
		byCaste = Collections.unmodifiableMap(new TreeMap<>(byCaste));
	}

	public long tokens() {
		return this.byCaste.values().stream().mapToLong(CasteStats::tokens).sum();
	}

	public ToolUsage tools() {
		return this.byCaste.values().stream().map(CasteStats::tools).reduce(ToolUsage.NONE, ToolUsage::plus);
	}

	public long clockSkew() {
		return this.byCaste.values().stream().mapToLong(CasteStats::clockSkew).sum();
	}

	public DurationHistogram durations(Outcome outcome) {
		return this.byCaste.values()
			.stream()
			.map((caste) -> caste.durations(outcome))
			.reduce(DurationHistogram.EMPTY, DurationHistogram::plus);
	}

	public ModelStats withSpawn(String caste) {
		return new ModelStats(this.totalSpawns + 1, this.completed, this.failed, this.blocked,
				withCaste(caste, CasteStats::withSpawn));
	}

	/**
	 * Counts an outcome, recorded at {@code at}, for a caste, in its counters and its
	 * routing evidence.
	 */
	public ModelStats withOutcome(String caste, Outcome outcome, Duration took, Instant at, long casteClock,
			@Nullable String taskClass) {
		Map<String, CasteStats> castes = withCaste(caste,
				(stats) -> stats.withOutcome(outcome, took, at, casteClock, taskClass));
		return switch (outcome) {
			case COMPLETED -> new ModelStats(this.totalSpawns, this.completed + 1, this.failed, this.blocked, castes);
			case FAILED -> new ModelStats(this.totalSpawns, this.completed, this.failed + 1, this.blocked, castes);
			case BLOCKED -> new ModelStats(this.totalSpawns, this.completed, this.failed, this.blocked + 1, castes);
		};
	}

	public ModelStats withUsage(String caste, long tokens, ToolUsage tools) {
		return new ModelStats(this.totalSpawns, this.completed, this.failed, this.blocked,
				withCaste(caste, (stats) -> stats.withUsage(tokens, tools)));
	}

	private Map<String, CasteStats> withCaste(String caste, UnaryOperator<CasteStats> change) {
		Map<String, CasteStats> castes = new TreeMap<>(this.byCaste);
		castes.put(caste, change.apply(castes.getOrDefault(caste, CasteStats.NONE)));
		return castes;
	}

	/**
	 * Both counters added, caste by caste.
	 * @throws ArithmeticException if a sum overflows
	 */
	public ModelStats plus(ModelStats other) {
		Map<String, CasteStats> castes = new TreeMap<>(this.byCaste);
		other.byCaste.forEach((caste, stats) -> castes.merge(caste, stats, CasteStats::plus));
		return new ModelStats(Math.addExact(this.totalSpawns, other.totalSpawns),
				Math.addExact(this.completed, other.completed), Math.addExact(this.failed, other.failed),
				Math.addExact(this.blocked, other.blocked), castes);
	}

}

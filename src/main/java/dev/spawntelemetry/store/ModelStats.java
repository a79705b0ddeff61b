package dev.spawntelemetry.store;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Lifetime counters of one model, in total and per caste. Never rotated. Usage and
 * durations are kept per caste; the model's are their sums.
 */
public record ModelStats(long totalSpawns, long successfulCompletions, long failedCompletions, long blocked,
		Map<String, CasteStats> byCaste) {

	static final ModelStats NONE = new ModelStats(0, 0, 0, 0, Map.of());

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

	ModelStats withSpawn(String caste) {
		return new ModelStats(this.totalSpawns + 1, this.successfulCompletions, this.failedCompletions, this.blocked,
				withCaste(caste, CasteStats::withSpawn));
	}

	ModelStats withOutcome(String caste, Outcome outcome, Duration took) {
		Map<String, CasteStats> castes = withCaste(caste, (stats) -> stats.withOutcome(outcome, took));
		return switch (outcome) {
			case COMPLETED -> new ModelStats(this.totalSpawns, this.successfulCompletions + 1, this.failedCompletions,
					this.blocked, castes);
			case FAILED -> new ModelStats(this.totalSpawns, this.successfulCompletions, this.failedCompletions + 1,
					this.blocked, castes);
			case BLOCKED -> new ModelStats(this.totalSpawns, this.successfulCompletions, this.failedCompletions,
					this.blocked + 1, castes);
		};
	}

	ModelStats withUsage(String caste, long tokens, ToolUsage tools) {
		return new ModelStats(this.totalSpawns, this.successfulCompletions, this.failedCompletions, this.blocked,
				withCaste(caste, (stats) -> stats.withUsage(tokens, tools)));
	}

	private Map<String, CasteStats> withCaste(String caste, UnaryOperator<CasteStats> change) {
		Map<String, CasteStats> castes = new TreeMap<>(this.byCaste);
		castes.put(caste, change.apply(castes.getOrDefault(caste, CasteStats.NONE)));
		return castes;
	}

}

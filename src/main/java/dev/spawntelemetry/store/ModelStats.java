package dev.spawntelemetry.store;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lifetime counters of one model, in total and per caste. Never rotated.
 */
public record ModelStats(long totalSpawns, long successfulCompletions, long failedCompletions, long blocked,
		Map<String, CasteStats> byCaste) {

	static final ModelStats NONE = new ModelStats(0, 0, 0, 0, Map.of());

	public ModelStats {
		byCaste = Collections.unmodifiableMap(new TreeMap<>(byCaste));
	}

	ModelStats withSpawn(String caste) {
		return new ModelStats(this.totalSpawns + 1, this.successfulCompletions, this.failedCompletions, this.blocked,
				withCaste(caste, caste(caste).withSpawn()));
	}

	ModelStats withOutcome(String caste, Outcome outcome) {
		Map<String, CasteStats> castes = withCaste(caste, caste(caste).withOutcome(outcome));
		return switch (outcome) {
			case COMPLETED -> new ModelStats(this.totalSpawns, this.successfulCompletions + 1, this.failedCompletions,
					this.blocked, castes);
			case FAILED -> new ModelStats(this.totalSpawns, this.successfulCompletions, this.failedCompletions + 1,
					this.blocked, castes);
			case BLOCKED -> new ModelStats(this.totalSpawns, this.successfulCompletions, this.failedCompletions,
					this.blocked + 1, castes);
		};
	}

	private CasteStats caste(String caste) {
		return this.byCaste.getOrDefault(caste, CasteStats.NONE);
	}

	private Map<String, CasteStats> withCaste(String caste, CasteStats stats) {
		Map<String, CasteStats> castes = new TreeMap<>(this.byCaste);
		castes.put(caste, stats);
		return castes;
	}

}

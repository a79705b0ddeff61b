package dev.spawntelemetry.store;

/**
 * Lifetime counters of one caste on one model. Never rotated.
 */
public record CasteStats(long spawns, long success, long failures, long blocked) {

	static final CasteStats NONE = new CasteStats(0, 0, 0, 0);

	CasteStats withSpawn() {
		return new CasteStats(this.spawns + 1, this.success, this.failures, this.blocked);
	}

	CasteStats withOutcome(Outcome outcome) {
		return switch (outcome) {
			case COMPLETED -> new CasteStats(this.spawns, this.success + 1, this.failures, this.blocked);
			case FAILED -> new CasteStats(this.spawns, this.success, this.failures + 1, this.blocked);
			case BLOCKED -> new CasteStats(this.spawns, this.success, this.failures, this.blocked + 1);
		};
	}

}

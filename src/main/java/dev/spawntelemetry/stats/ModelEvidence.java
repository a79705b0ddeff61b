package dev.spawntelemetry.stats;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.CasteStats;
import dev.spawntelemetry.store.ToolUsage;

/**
 * What is known of one model for one caste: outcomes, the resolved success rate with its
 * 95% Wilson interval, usage and durations.
 *
 * @param open spawns with no outcome yet
 * @param resolvedSuccessRate completed / (completed + failed + blocked), or null when
 * none is resolved
 * @param wilson the 95% Wilson interval of the resolved success rate, or null when none
 * is resolved
 */
record ModelEvidence(String model, long spawns, long completed, long failed, long blocked, long open,
		double successRate, @Nullable Double resolvedSuccessRate, @Nullable WilsonInterval wilson, long tokens,
		ToolUsage tools, @Nullable Double tokensPerCompletedSpawn, long clockSkew,
		Map<String, DurationSummary> durations) {

	static ModelEvidence of(String model, CasteStats stats) {
		long resolved = stats.success() + stats.failures() + stats.blocked();
		WilsonInterval wilson = WilsonInterval.of(stats.success(), resolved);
		return new ModelEvidence(model, stats.spawns(), stats.success(), stats.failures(), stats.blocked(),
				Math.max(0, stats.spawns() - resolved), Rates.successRate(stats.success(), stats.spawns()),
				Rates.resolvedSuccessRate(stats.success(), resolved), (wilson != null) ? wilson.rounded() : null,
				stats.tokens(), stats.tools(), Rates.tokensPerCompletedSpawn(stats.tokens(), stats.success()),
				stats.clockSkew(), DurationSummary.perOutcome(stats::durations));
	}

	long resolved() {
		return this.completed + this.failed + this.blocked;
	}

}

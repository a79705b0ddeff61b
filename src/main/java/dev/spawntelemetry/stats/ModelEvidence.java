package dev.spawntelemetry.stats;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.ToolUsage;

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
		long resolved = stats.completed() + stats.failed() + stats.blocked();
		WilsonInterval wilson = WilsonInterval.of(stats.completed(), resolved);
		return new ModelEvidence(model, stats.spawns(), stats.completed(), stats.failed(), stats.blocked(),
				Math.max(0, stats.spawns() - resolved), Rates.successRate(stats.completed(), stats.spawns()),
				Rates.resolvedSuccessRate(stats.completed(), resolved), (wilson != null) ? wilson.rounded() : null,
				stats.tokens(), stats.tools(), Rates.tokensPerCompletedSpawn(stats.tokens(), stats.completed()),
				stats.clockSkew(), DurationSummary.perOutcome(stats::durations));
	}

	long resolved() {
		return this.completed + this.failed + this.blocked;
	}

}

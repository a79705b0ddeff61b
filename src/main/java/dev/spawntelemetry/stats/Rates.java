package dev.spawntelemetry.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.jspecify.annotations.Nullable;

/**
 * Rates as the API shows them, rounded half-up.
 */
final class Rates {

	private Rates() {
	}

	/**
	 * Successful completions over all spawns, open ones included, to two decimals: 1
	 * completed, 1 failed and 1 open spawn make 0.33; no spawns make 0.
	 */
	static double successRate(long successes, long spawns) {
		return (spawns == 0) ? 0 : ratio(successes, spawns, 2);
	}

	/** Completed over resolved (completed, failed or blocked) spawns, or null if none. */
	static @Nullable Double resolvedSuccessRate(long completed, long resolved) {
		return (resolved == 0) ? null : ratio(completed, resolved, 4);
	}

	/**
	 * Tokens it took, all spawns counted, for each completed one; null if none completed.
	 */
	static @Nullable Double tokensPerCompletedSpawn(long tokens, long completed) {
		return (completed == 0) ? null : ratio(tokens, completed, 1);
	}

	static double round(double value, int decimals) {
		return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
	}

	private static double ratio(long numerator, long denominator, int decimals) {
		return BigDecimal.valueOf(numerator)
			.divide(BigDecimal.valueOf(denominator), decimals, RoundingMode.HALF_UP)
			.doubleValue();
	}

}

package dev.spawntelemetry.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Successful completions over all spawns, open ones included, rounded half-up to two
 * decimals: 1 completed, 1 failed and 1 open spawn make 0.33.
 */
final class SuccessRate {

	private SuccessRate() {
	}

	static double of(long successes, long spawns) {
		if (spawns == 0) {
			return 0;
		}
		return BigDecimal.valueOf(successes).divide(BigDecimal.valueOf(spawns), 2, RoundingMode.HALF_UP).doubleValue();
	}

}

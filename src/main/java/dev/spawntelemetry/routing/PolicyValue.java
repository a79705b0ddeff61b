package dev.spawntelemetry.routing;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.stats.WilsonInterval;
import dev.spawntelemetry.telemetry.PropensitySums.WeightSums;

/**
 * What a policy's resolved success rate would have been over the routed spawns of a
 * window, estimated from their importance weights {@code w} (see docs/api.md):
 * <ul>
 * <li>IPS {@code V = Σw·r / n}, its variance {@code (Σw²·r / n − V²) / n};
 * <li>self-normalized IPS {@code V = Σw·r / Σw}, its variance the greatest of the delta
 * method's {@code (Σw²·r·(1 − 2V) + V²·Σw²) / (Σw)²}, a proportion's over the effective
 * sample size {@code V(1 − V) / ESS} and the IPS variance: the delta method alone covers
 * too seldom on the heavy-tailed weights of adaptively routed spawns
 * ({@code bench/routing});
 * <li>the effective sample size {@code (Σw)² / Σw²};
 * </ul>
 * each interval {@code V ± 1.96·√variance}, widened to the Wilson score interval of V at
 * the effective sample size where that is wider, and clipped to [0, 1]. Below
 * {@link #MIN_EFFECTIVE_SAMPLE_SIZE} the estimates are left out: the logged choices
 * explored that policy too little to tell.
 *
 * @param policy {@code logged} (the policy that routed them, its observed rate),
 * {@code always} (one model), {@code uniform} (each spawn's candidates alike) or
 * {@code default} (the caste's configured model)
 * @param model the model of {@code always} and {@code default}, else null
 * @param effectiveSampleSize how many spawns chosen by the policy itself the weighted
 * ones are worth
 * @param enoughExploration whether the effective sample size reaches the minimum
 * @param ips the inverse propensity estimate, or null without enough exploration
 * @param snips the self-normalized estimate, or null without enough exploration
 * @param tokensPerResolved {@code Σw·t / Σw}, or null without enough exploration
 * @param summary the estimate in plain words
 */
record PolicyValue(String policy, @Nullable String model, double effectiveSampleSize, boolean enoughExploration,
		@Nullable Estimate ips, @Nullable Estimate snips, @Nullable Double tokensPerResolved, String summary) {

	/**
	 * Fewer effective samples than this make an interval of the normal approximation lie.
	 */
	static final double MIN_EFFECTIVE_SAMPLE_SIZE = 30;

	private static final double Z = 1.959963984540054;

	/**
	 * Estimates a policy from the weights it gives the {@code resolved} routed spawns.
	 * @param label how the summary names the policy
	 */
	static PolicyValue of(String policy, @Nullable String model, String label, WeightSums sums, long resolved) {
		double w = sums.weights();
		double effective = (sums.squaredWeights() > 0) ? w * w / sums.squaredWeights() : 0;
		if (effective < MIN_EFFECTIVE_SAMPLE_SIZE || resolved == 0) {
			return new PolicyValue(policy, model, effective, false, null, null, null,
					label + ": not enough exploration to tell");
		}
		double n = resolved;
		double ips = sums.weightedSuccesses() / n;
		double ipsVariance = Math.max(0, sums.squaredWeightedSuccesses() / n - ips * ips) / n;
		double snips = sums.weightedSuccesses() / w;
		double snipsVariance = Math.max(
				sums.squaredWeightedSuccesses() * (1 - 2 * snips) + snips * snips * sums.squaredWeights(), 0) / (w * w);
		snipsVariance = Math.max(Math.max(snipsVariance, snips * (1 - snips) / effective), ipsVariance);
		Estimate self = Estimate.of(snips, snipsVariance, effective);
		return new PolicyValue(policy, model, effective, true, Estimate.of(ips, ipsVariance, effective), self,
				sums.weightedTokens() / w, String.format(Locale.ROOT, "%s: %.0f%% ± %.0f", label, 100 * snips,
						100 * Math.max(snips - self.low(), self.high() - snips)));
	}

	/**
	 * An estimate and its 95% interval.
	 *
	 * @param estimate the estimated resolved success rate
	 * @param low the interval's lower end
	 * @param high the interval's upper end
	 */
	record Estimate(double estimate, double low, double high) {

		/**
		 * The normal interval of the variance, widened to the Wilson score interval at
		 * the effective sample size where that is wider: at a rate near 0 or 1 the
		 * variance vanishes, and 40 successes of 40 would read "100% ± 0".
		 */
		static Estimate of(double estimate, double variance, double effective) {
			double margin = Z * Math.sqrt(variance);
			WilsonInterval wilson = WilsonInterval.of(Math.min(1, Math.max(0, estimate)), effective);
			return new Estimate(estimate, Math.max(0, Math.min(estimate - margin, wilson.low())),
					Math.min(1, Math.max(estimate + margin, wilson.high())));
		}

		boolean covers(double truth) {
			return this.low <= truth && truth <= this.high;
		}

	}

}

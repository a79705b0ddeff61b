package dev.spawntelemetry.stats;

import org.jspecify.annotations.Nullable;

/**
 * The 95% Wilson score interval of a success proportion: unlike the raw rate it widens
 * when there are few trials, so 1 of 1 does not outrank 95 of 100.
 */
public record WilsonInterval(double low, double high) {

	static final double Z = 1.959964;

	/** The interval, or null when there were no trials. */
	static @Nullable WilsonInterval of(long successes, long trials) {
		return (trials > 0) ? of((double) successes / trials, trials) : null;
	}

	/**
	 * The interval of a proportion {@code p} over {@code n} trials, which may be a
	 * fractional count such as an effective sample size.
	 */
	public static WilsonInterval of(double p, double n) {
		double z2 = Z * Z;
		double denominator = 1 + z2 / n;
		double center = (p + z2 / (2 * n)) / denominator;
		double margin = Z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
		return new WilsonInterval(Math.max(0, center - margin), Math.min(1, center + margin));
	}

	WilsonInterval rounded() {
		return new WilsonInterval(Rates.round(this.low, 4), Rates.round(this.high, 4));
	}

}

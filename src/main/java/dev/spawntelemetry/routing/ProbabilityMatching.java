package dev.spawntelemetry.routing;

import java.util.List;

/**
 * The probability with which Thompson sampling would choose each arm: the probability
 * that the arm's draw from its Beta posterior, divided by its cost, is the greatest. It
 * is computed, not sampled, so the propensity recorded with a choice is exact and the
 * same evidence gives the same probabilities on every replica.
 * <p>
 * Each posterior's distribution function is tabulated on a grid over its mean ± 10
 * standard deviations, by the trapezoid rule on its density; the probability of being the
 * greatest is then summed over a common grid of scores, from the greatest of the arms'
 * lowest plausible scores (below it no arm's score is ever the maximum) to the greatest
 * of their highest.
 */
final class ProbabilityMatching {

	private static final int ARM_POINTS = 400;

	private static final int SCORE_POINTS = 1500;

	private static final double SPREAD = 10;

	private ProbabilityMatching() {
	}

	/**
	 * One arm: a Beta({@code alpha}, {@code beta}) posterior of its success rate, and the
	 * cost its rate is divided by (1 when only success counts).
	 */
	record Arm(double alpha, double beta, double cost) {

		Arm {
			if (!(alpha >= 1) || !(beta >= 1) || !(cost > 0)) {
				throw new IllegalArgumentException("alpha and beta must be at least 1 and cost positive");
			}
		}

	}

	static double[] probabilities(List<Arm> arms) {
		int k = arms.size();
		double[] probabilities = new double[k];
		if (k == 1) {
			probabilities[0] = 1;
			return probabilities;
		}
		Table[] tables = new Table[k];
		double from = 0;
		double to = 0;
		for (int i = 0; i < k; i++) {
			Arm arm = arms.get(i);
			tables[i] = Table.of(arm.alpha(), arm.beta());
			from = Math.max(from, tables[i].low / arm.cost());
			to = Math.max(to, tables[i].high / arm.cost());
		}
		double step = (to - from) / SCORE_POINTS;
		double[] costs = new double[k];
		double[] previous = new double[k];
		double[] current = new double[k];
		double[] belowMiddle = new double[k];
		for (int i = 0; i < k; i++) {
			costs[i] = arms.get(i).cost();
			previous[i] = tables[i].cdf(from * costs[i]);
		}
		for (int point = 1; point <= SCORE_POINTS; point++) {
			double score = from + point * step;
			double middle = score - step / 2;
			// each arm's distribution function once per point, not once per other arm
			for (int i = 0; i < k; i++) {
				current[i] = tables[i].cdf(score * costs[i]);
				belowMiddle[i] = tables[i].cdf(middle * costs[i]);
			}
			for (int i = 0; i < k; i++) {
				double mass = current[i] - previous[i];
				if (mass <= 0) {
					continue;
				}
				// multiplied in the order of the arms, so that the sums are those of the
				// same evidence before: the same probabilities, bit for bit
				double othersBelow = 1;
				for (int j = 0; j < k && othersBelow > 0; j++) {
					if (j != i) {
						othersBelow *= belowMiddle[j];
					}
				}
				probabilities[i] += mass * othersBelow;
			}
			double[] swap = previous;
			previous = current;
			current = swap;
		}
		double total = 0;
		for (double probability : probabilities) {
			total += probability;
		}
		for (int i = 0; i < k; i++) {
			probabilities[i] = (total > 0) ? probabilities[i] / total : 1.0 / k;
		}
		return probabilities;
	}

	/** A Beta distribution function, tabulated. */
	private static final class Table {

		final double low;

		final double high;

		private final double step;

		private final double[] cdf;

		private Table(double low, double high, double[] cdf) {
			this.low = low;
			this.high = high;
			this.step = (high - low) / (cdf.length - 1);
			this.cdf = cdf;
		}

		static Table of(double alpha, double beta) {
			double mean = alpha / (alpha + beta);
			double sd = Math.sqrt(alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1)));
			double low = Math.max(0, mean - SPREAD * sd);
			double high = Math.min(1, mean + SPREAD * sd);
			double step = (high - low) / (ARM_POINTS - 1);
			double[] logDensity = new double[ARM_POINTS];
			double greatest = Double.NEGATIVE_INFINITY;
			for (int i = 0; i < ARM_POINTS; i++) {
				double x = low + i * step;
				logDensity[i] = term(alpha - 1, x) + term(beta - 1, 1 - x);
				greatest = Math.max(greatest, logDensity[i]);
			}
			double[] cdf = new double[ARM_POINTS];
			double previous = Math.exp(logDensity[0] - greatest);
			for (int i = 1; i < ARM_POINTS; i++) {
				double density = Math.exp(logDensity[i] - greatest);
				cdf[i] = cdf[i - 1] + (previous + density) / 2;
				previous = density;
			}
			double total = cdf[ARM_POINTS - 1];
			for (int i = 0; i < ARM_POINTS; i++) {
				cdf[i] /= total;
			}
			return new Table(low, high, cdf);
		}

		/** {@code exponent · ln(x)}, with 0 · ln(0) = 0. */
		private static double term(double exponent, double x) {
			if (exponent == 0) {
				return 0;
			}
			return (x <= 0) ? Double.NEGATIVE_INFINITY : exponent * Math.log(x);
		}

		double cdf(double x) {
			if (x <= this.low) {
				return 0;
			}
			if (x >= this.high) {
				return 1;
			}
			double position = (x - this.low) / this.step;
			int below = (int) position;
			if (below >= this.cdf.length - 1) {
				return 1;
			}
			double fraction = position - below;
			return this.cdf[below] + fraction * (this.cdf[below + 1] - this.cdf[below]);
		}

	}

}

package dev.spawntelemetry.routing;

import java.util.Arrays;
import java.util.List;

/**
 * The probability with which Thompson sampling would choose each arm: the probability
 * that the arm's draw from its Beta posterior, divided by its cost, is the greatest,
 * {@code P(i) = ∫ g_i(s) · Π_{j≠i} G_j(s) ds} over scores s, with g and G each arm's
 * score density and distribution function. It is computed, not sampled, so the propensity
 * recorded with a choice is the policy's probability and the same evidence gives the same
 * probabilities on every replica.
 * <p>
 * The scores are cut into panels, each integrated by 16-point Gauss–Legendre: panel edges
 * every standard deviation over each arm's support (where its density is above
 * e<sup>-46</sup> of its mode), and closer and closer toward 0 and 1 where a density is
 * not smooth there (a non-integer exponent). The panels start where the last support
 * starts: below, that arm's score is certainly greater, so no score there can be the
 * greatest, and an arm whose support ends below never is. Each distribution function is
 * the regularized incomplete beta function at that start, then the integral of its
 * density over the panels' nodes (the Gauss–Legendre integration matrix), so one
 * incomplete beta function is evaluated per arm. Against a reference that integrates the
 * exact distribution functions on a finer mesh, the probabilities differ by less than
 * 1e-9 ({@code ProbabilityMatchingTests}).
 */
final class ProbabilityMatching {

	private ProbabilityMatching() {
	}

	/**
	 * One arm: a Beta({@code alpha}, {@code beta}) posterior of its success rate, and the
	 * cost its rate is divided by (1 when only success counts).
	 */
	record Arm(double alpha, double beta, double cost) {

		Arm {
			if (!(alpha >= 1) || !(beta >= 1) || !(cost > 0) || Double.isInfinite(alpha) || Double.isInfinite(beta)
					|| Double.isInfinite(cost)) {
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
		ScoreDensity[] densities = new ScoreDensity[k];
		// below the greatest start of a support, some arm's score is certainly above:
		// no score there is the greatest, and only each distribution function's value at
		// that start is needed
		double start = 0;
		for (int i = 0; i < k; i++) {
			densities[i] = new ScoreDensity(arms.get(i));
			start = Math.max(start, densities[i].low());
		}
		double[] edges = edges(densities, start);
		int m = ScoreDensity.RULE.nodes.length;
		double[][] density = new double[k][m];
		double[][] below = new double[k][m];
		double[] reached = new double[k];
		for (int j = 0; j < k; j++) {
			reached[j] = densities[j].integralUpTo(start);
		}
		double[] before = new double[k];
		double[] after = new double[k];
		double[] logScore = new double[m];
		double[] logRest = new double[m];
		for (int panel = 0; panel + 1 < edges.length; panel++) {
			double from = edges[panel];
			double half = (edges[panel + 1] - from) / 2;
			for (int q = 0; q < m; q++) {
				double score = from + half * (1 + ScoreDensity.RULE.nodes[q]);
				logScore[q] = Math.log(score);
				logRest[q] = Math.log(1 - score);
			}
			for (int j = 0; j < k; j++) {
				reached[j] = densities[j].integrate(from, half, logScore, logRest, density[j], below[j], reached[j]);
			}
			for (int q = 0; q < m; q++) {
				// the product of the others' distribution functions, from both sides
				before[0] = 1;
				for (int j = 1; j < k; j++) {
					before[j] = before[j - 1] * below[j - 1][q];
				}
				after[k - 1] = 1;
				for (int j = k - 2; j >= 0; j--) {
					after[j] = after[j + 1] * below[j + 1][q];
				}
				for (int i = 0; i < k; i++) {
					probabilities[i] += half * ScoreDensity.RULE.weights[q] * density[i][q] * before[i] * after[i];
				}
			}
		}
		double total = 0;
		for (int i = 0; i < k; i++) {
			total += probabilities[i];
		}
		for (int i = 0; i < k; i++) {
			probabilities[i] = (total > 0) ? probabilities[i] / total : 1.0 / k;
		}
		return probabilities;
	}

	/**
	 * The panels' edges from {@code start} on: each arm's support every standard
	 * deviation, graded toward an end of [0, 1] that is not smooth; an edge closer to the
	 * last than the resolution it was made for (the finest, where arms share an edge) is
	 * left out.
	 */
	private static double[] edges(ScoreDensity[] densities, double start) {
		double[][] candidates = new double[densities.length][];
		int count = 0;
		for (int j = 0; j < densities.length; j++) {
			candidates[j] = densities[j].edges();
			count += candidates[j].length / 2;
		}
		double[] points = new double[count];
		int n = 0;
		for (double[] pairs : candidates) {
			for (int p = 0; p < pairs.length; p += 2) {
				if (pairs[p] >= start) {
					points[n++] = pairs[p];
				}
			}
		}
		Arrays.sort(points, 0, n);
		int distinct = 0;
		for (int i = 0; i < n; i++) {
			if (distinct == 0 || points[i] != points[distinct - 1]) {
				points[distinct++] = points[i];
			}
		}
		double[] resolutions = new double[distinct];
		Arrays.fill(resolutions, Double.POSITIVE_INFINITY);
		for (double[] pairs : candidates) {
			for (int p = 0; p < pairs.length; p += 2) {
				if (pairs[p] >= start) {
					int at = Arrays.binarySearch(points, 0, distinct, pairs[p]);
					resolutions[at] = Math.min(resolutions[at], pairs[p + 1]);
				}
			}
		}
		double[] edges = new double[distinct];
		int kept = 0;
		for (int i = 0; i < distinct; i++) {
			if (kept == 0 || points[i] - edges[kept - 1] > Math.max(resolutions[i], 1e-15 * points[i])) {
				edges[kept++] = points[i];
			}
		}
		return Arrays.copyOf(edges, kept);
	}

}

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
 * not smooth there (a non-integer exponent). Each distribution function is the integral
 * of its density over the same nodes (the Gauss–Legendre integration matrix), so no
 * incomplete beta function is evaluated. Against a reference that integrates the exact
 * distribution functions on a finer mesh, the probabilities differ by less than 1e-9
 * ({@code ProbabilityMatchingTests}).
 */
final class ProbabilityMatching {

	/** Where a density falls below e^-46 (1e-20) of its mode, its support ends. */
	private static final double TAIL = 46;

	/**
	 * Panel edges per standard deviation over each arm's support: a panel is two wide.
	 */
	private static final double EDGES_PER_SD = 0.5;

	/** Panels graded toward an end of [0, 1] where a density is not smooth. */
	private static final int GRADED = 60;

	private static final GaussLegendre RULE = new GaussLegendre(16);

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
		Density[] densities = new Density[k];
		for (int i = 0; i < k; i++) {
			densities[i] = new Density(arms.get(i));
		}
		double[] edges = edges(densities);
		int m = RULE.nodes.length;
		double[][] density = new double[k][m];
		double[][] below = new double[k][m];
		double[] reached = new double[k];
		double[] before = new double[k];
		double[] after = new double[k];
		for (int panel = 0; panel + 1 < edges.length; panel++) {
			double from = edges[panel];
			double half = (edges[panel + 1] - from) / 2;
			for (int j = 0; j < k; j++) {
				reached[j] = densities[j].integrate(from, half, density[j], below[j], reached[j]);
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
					probabilities[i] += half * RULE.weights[q] * density[i][q] * before[i] * after[i];
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
	 * The panels' edges: each arm's support every standard deviation, graded toward an
	 * end of [0, 1] that is not smooth; an edge closer to the last than the resolution it
	 * was made for is left out.
	 */
	private static double[] edges(Density[] densities) {
		int count = 0;
		double[][] candidates = new double[densities.length][];
		for (int j = 0; j < densities.length; j++) {
			candidates[j] = densities[j].edges();
			count += candidates[j].length / 2;
		}
		double[] points = new double[count];
		double[] resolutions = new double[count];
		Integer[] order = new Integer[count];
		int n = 0;
		for (double[] pairs : candidates) {
			for (int p = 0; p < pairs.length; p += 2) {
				points[n] = pairs[p];
				resolutions[n] = pairs[p + 1];
				order[n] = n;
				n++;
			}
		}
		Arrays.sort(order, (a, b) -> Double.compare(points[a], points[b]));
		double[] edges = new double[count];
		int kept = 0;
		for (Integer index : order) {
			double point = points[index];
			if (kept == 0 || point - edges[kept - 1] > Math.max(resolutions[index], 1e-15 * point)) {
				edges[kept++] = point;
			}
		}
		return Arrays.copyOf(edges, kept);
	}

	/**
	 * An arm's score density, tabulated panel by panel with its distribution function.
	 */
	private static final class Density {

		private final double a;

		private final double b;

		private final double cost;

		private final double mode;

		/** The log-density at the mode, subtracted so that the mode's density is 1. */
		private final double top;

		/** Where, in scores, the support starts and ends. */
		private final double low;

		private final double high;

		/** The integral of the unnormalized density over the support, in scores. */
		private double total = Double.NaN;

		Density(Arm arm) {
			this.a = arm.alpha() - 1;
			this.b = arm.beta() - 1;
			this.cost = arm.cost();
			this.mode = (this.a + this.b > 0) ? this.a / (this.a + this.b) : 0.5;
			this.top = logDensity(this.mode);
			this.low = end(0) / this.cost;
			this.high = end(1) / this.cost;
		}

		private double logDensity(double x) {
			return term(this.a, x) + term(this.b, 1 - x);
		}

		/** {@code exponent · ln(x)}, with 0 · ln(0) = 0. */
		private static double term(double exponent, double x) {
			if (exponent == 0) {
				return 0;
			}
			return (x <= 0) ? Double.NEGATIVE_INFINITY : exponent * Math.log(x);
		}

		/**
		 * Where the density falls to e^-TAIL of its mode toward {@code end}, or the end.
		 */
		private double end(double end) {
			if (logDensity(end) - this.top >= -TAIL) {
				return end;
			}
			double inside = this.mode;
			double outside = end;
			for (int i = 0; i < 60; i++) {
				double middle = (inside + outside) / 2;
				if (logDensity(middle) - this.top >= -TAIL) {
					inside = middle;
				}
				else {
					outside = middle;
				}
			}
			return outside;
		}

		private boolean smoothAt(double exponent) {
			return exponent == Math.rint(exponent);
		}

		/** Pairs of an edge and the resolution it was made for, in scores. */
		double[] edges() {
			double n = this.a + this.b + 2;
			double mean = (this.a + 1) / n;
			double sd = Math.sqrt(mean * (1 - mean) / (n + 1)) / this.cost;
			double step = sd / EDGES_PER_SD;
			int inner = (int) Math.min(4096, Math.ceil((this.high - this.low) / step));
			double[] pairs = new double[2 * (inner + 1 + 2 * GRADED)];
			int p = 0;
			for (int i = 0; i <= inner; i++) {
				pairs[p++] = (i == inner) ? this.high : this.low + i * step;
				pairs[p++] = (i == 0 || i == inner) ? 0 : step / 2;
			}
			// toward an end of [0, 1] where the density is not smooth and not negligible,
			// ever closer edges: halves of the whole, the same for every arm, so that
			// arms near the same end share them
			double end = 1 / this.cost;
			boolean gradeLow = this.low < step * 1e-3 && !smoothAt(this.a);
			boolean gradeHigh = end - this.high < step * 1e-3 && !smoothAt(this.b);
			for (int g = 1; g <= GRADED; g++) {
				double offset = end * Math.pow(0.5, g);
				if (offset >= step || offset < step * 1e-12) {
					continue;
				}
				if (gradeLow && offset > this.low) {
					pairs[p++] = offset;
					pairs[p++] = 0;
				}
				if (gradeHigh && end - offset < this.high) {
					pairs[p++] = end - offset;
					pairs[p++] = 0;
				}
			}
			return Arrays.copyOf(pairs, p);
		}

		/**
		 * Fills the density and the distribution function at the nodes of the panel that
		 * starts at {@code from} and is {@code 2 · half} wide, given the integral up to
		 * {@code from}; answers the integral up to its end.
		 */
		double integrate(double from, double half, double[] density, double[] below, double reached) {
			if (Double.isNaN(this.total)) {
				this.total = unnormalizedTotal();
			}
			double[] nodes = RULE.nodes;
			int m = nodes.length;
			if (from + 2 * half <= this.low || from >= this.high) {
				Arrays.fill(density, 0);
				Arrays.fill(below, (from >= this.high) ? 1 : 0);
				return reached;
			}
			double[] raw = new double[m];
			for (int q = 0; q < m; q++) {
				raw[q] = unnormalized(from + half * (1 + nodes[q]));
			}
			double end = reached;
			for (int q = 0; q < m; q++) {
				double sum = 0;
				double[] row = RULE.integration[q];
				for (int r = 0; r < m; r++) {
					sum += row[r] * raw[r];
				}
				density[q] = raw[q] / this.total;
				below[q] = Math.min(1, Math.max(0, (reached + half * sum) / this.total));
				end += half * RULE.weights[q] * raw[q];
			}
			return end;
		}

		/** The density at a score, relative to the mode's. */
		private double unnormalized(double score) {
			double x = score * this.cost;
			return (x < 0 || x > 1) ? 0 : this.cost * Math.exp(logDensity(x) - this.top);
		}

		/**
		 * The integral over the support, on the arm's own edges, as the panels sum it.
		 */
		private double unnormalizedTotal() {
			double[] pairs = edges();
			double[] own = new double[pairs.length / 2];
			for (int p = 0; p < own.length; p++) {
				own[p] = pairs[2 * p];
			}
			Arrays.sort(own);
			double sum = 0;
			for (int e = 0; e + 1 < own.length; e++) {
				double half = (own[e + 1] - own[e]) / 2;
				for (int q = 0; q < RULE.nodes.length; q++) {
					sum += half * RULE.weights[q] * unnormalized(own[e] + half * (1 + RULE.nodes[q]));
				}
			}
			return sum;
		}

	}

	/**
	 * Gauss–Legendre nodes and weights on [-1, 1], and the matrix that integrates the
	 * polynomial through the nodes from -1 to each node.
	 */
	static final class GaussLegendre {

		final double[] nodes;

		final double[] weights;

		final double[][] integration;

		GaussLegendre(int m) {
			this.nodes = new double[m];
			this.weights = new double[m];
			for (int i = 0; i < m; i++) {
				double x = Math.cos(Math.PI * (i + 0.75) / (m + 0.5));
				for (int iteration = 0; iteration < 100; iteration++) {
					double[] p = legendre(m, x);
					double dx = p[m] / derivative(m, x, p);
					x -= dx;
					if (Math.abs(dx) < 1e-17) {
						break;
					}
				}
				double[] p = legendre(m, x);
				double derivative = derivative(m, x, p);
				this.nodes[m - 1 - i] = x;
				this.weights[m - 1 - i] = 2 / ((1 - x * x) * derivative * derivative);
			}
			// ∫_{-1}^{t_q} L_r, with L_r = w_r Σ_n (2n+1)/2 P_n(t_r) P_n and
			// ∫_{-1}^{t} P_n = (P_{n+1}(t) - P_{n-1}(t)) / (2n+1)
			this.integration = new double[m][m];
			for (int q = 0; q < m; q++) {
				double[] at = legendre(m, this.nodes[q]);
				for (int r = 0; r < m; r++) {
					double[] of = legendre(m, this.nodes[r]);
					double sum = (this.nodes[q] + 1) / 2;
					for (int n = 1; n < m; n++) {
						sum += of[n] * (at[n + 1] - at[n - 1]) / 2;
					}
					this.integration[q][r] = this.weights[r] * sum;
				}
			}
		}

		/** P_0(x) … P_m(x). */
		private static double[] legendre(int m, double x) {
			double[] p = new double[m + 1];
			p[0] = 1;
			p[1] = x;
			for (int n = 2; n <= m; n++) {
				p[n] = ((2 * n - 1) * x * p[n - 1] - (n - 1) * p[n - 2]) / n;
			}
			return p;
		}

		private static double derivative(int m, double x, double[] p) {
			return m * (x * p[m] - p[m - 1]) / (x * x - 1);
		}

	}

}

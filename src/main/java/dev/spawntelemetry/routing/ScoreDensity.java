package dev.spawntelemetry.routing;

import java.util.Arrays;

import org.apache.commons.numbers.gamma.LogBeta;
import org.apache.commons.numbers.gamma.RegularizedBeta;

/**
 * An arm's score density, tabulated panel by panel with its distribution function.
 */
final class ScoreDensity {

	/** Where a density falls below e^-46 (1e-20) of its mode, its support ends. */
	private static final double TAIL = 46;

	/**
	 * Panel edges per standard deviation over each arm's support: a panel is two wide.
	 */
	private static final double EDGES_PER_SD = 0.5;

	/** Panels graded toward an end of [0, 1] where a density is not smooth. */
	private static final int GRADED = 60;

	static final GaussLegendre RULE = new GaussLegendre(16);

	private final double a;

	private final double b;

	private final double cost;

	private final double mode;

	/** The log-density at the mode, subtracted so that the mode's density is 1. */
	private final double top;

	/** Where, in scores, the support starts and ends. */
	private final double low;

	private final double high;

	/** The integral of the unnormalized density over [0, 1], in scores: B(α, β)/e^top. */
	private final double total;

	ScoreDensity(ProbabilityMatching.Arm arm) {
		this.a = arm.alpha() - 1;
		this.b = arm.beta() - 1;
		this.cost = arm.cost();
		this.mode = (this.a + this.b > 0) ? this.a / (this.a + this.b) : 0.5;
		this.top = logDensity(this.mode);
		this.low = end(0) / this.cost;
		this.high = end(1) / this.cost;
		this.total = Math.exp(LogBeta.value(arm.alpha(), arm.beta()) - this.top);
	}

	/** Where, in scores, the support starts: the density is 0 below. */
	double low() {
		return this.low;
	}

	/** Where, in scores, the support ends: the density is 0 above. */
	double high() {
		return this.high;
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
		double offset = end;
		for (int g = 1; g <= GRADED && (gradeLow || gradeHigh); g++) {
			offset /= 2;
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
	 * {@code from}; answers the integral up to its end. {@code logScore} and
	 * {@code logRest} hold ln(s) and ln(1 - s) at the panel's nodes s, which every arm
	 * whose cost is 1 shares.
	 */
	double integrate(double from, double half, double[] logScore, double[] logRest, double[] density, double[] below,
			double reached) {
		double[] nodes = RULE.nodes;
		int m = nodes.length;
		if (from + 2 * half <= this.low || from >= this.high) {
			Arrays.fill(density, 0);
			Arrays.fill(below, (from >= this.high) ? 1 : 0);
			return reached;
		}
		double[] raw = new double[m];
		for (int q = 0; q < m; q++) {
			double score = from + half * (1 + nodes[q]);
			raw[q] = (this.cost == 1 && score < 1) ? Math
				.exp(((this.a == 0) ? 0 : this.a * logScore[q]) + ((this.b == 0) ? 0 : this.b * logRest[q]) - this.top)
					: unnormalized(score);
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
	 * The integral of the unnormalized density up to a score: the regularized incomplete
	 * beta function there, of the whole.
	 */
	double integralUpTo(double score) {
		if (score <= this.low) {
			return 0;
		}
		if (score >= this.high) {
			return this.total;
		}
		return this.total * RegularizedBeta.value(score * this.cost, this.a + 1, this.b + 1);
	}

}

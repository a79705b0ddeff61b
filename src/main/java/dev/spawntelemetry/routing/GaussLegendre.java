package dev.spawntelemetry.routing;

/**
 * Gauss–Legendre nodes and weights on [-1, 1], and the matrix that integrates the
 * polynomial through the nodes from -1 to each node.
 */
final class GaussLegendre {

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

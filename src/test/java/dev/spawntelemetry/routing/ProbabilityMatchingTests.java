package dev.spawntelemetry.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.statistics.distribution.BetaDistribution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The probabilities of being the best, against a reference that integrates the exact
 * density times the exact distribution functions (Apache Commons Statistics) on a much
 * finer mesh, graded toward both ends; the reference agrees with itself on a mesh twice
 * as fine to about 1e-13.
 */
class ProbabilityMatchingTests {

	private static final double TOLERANCE = 1e-9;

	@Test
	void agreesWithTheReferenceWithin1e9OnPosteriorsOfEveryShape() {
		SplittableRandom random = new SplittableRandom(7);
		for (int trial = 0; trial < 30; trial++) {
			int k = 2 + random.nextInt(7);
			List<ProbabilityMatching.Arm> arms = new ArrayList<>();
			for (int i = 0; i < k; i++) {
				// from a prior's Beta(1, 1) to thousands of outcomes, discounted to
				// fractions, rates from 0.05 to 0.95
				double outcomes = Math.exp(random.nextDouble() * Math.log(3000)) - 1;
				double rate = 0.05 + 0.9 * random.nextDouble();
				double cost = (trial % 2 == 0) ? 1 : 0.5 + random.nextDouble();
				arms.add(new ProbabilityMatching.Arm(1 + outcomes * rate, 1 + outcomes * (1 - rate), cost));
			}
			assertAgreesWithTheReference(arms);
		}
	}

	@Test
	void agreesWithTheReferenceAtTheEdges() {
		// priors only; one outcome each; every success or every failure; a lifetime of
		// evidence from an old file; rates close together; a non-integer exponent at both
		// ends of [0, 1]
		assertAgreesWithTheReference(List.of(arm(1, 1), arm(1, 1)));
		assertAgreesWithTheReference(List.of(arm(2, 1), arm(1, 2), arm(1, 1)));
		assertAgreesWithTheReference(List.of(arm(400, 1), arm(1, 400), arm(200, 200)));
		assertAgreesWithTheReference(List.of(arm(80_001, 20_001), arm(79_501, 20_501), arm(3, 2)));
		assertAgreesWithTheReference(List.of(arm(1.3, 1.7), arm(1.05, 9.5), arm(9.5, 1.05)));
		assertAgreesWithTheReference(List.of(arm(1.997, 1.998), arm(2.999, 1)));
		// an arm of cost 1 whose density reaches 1 beside arms whose scores go beyond it
		assertAgreesWithTheReference(List.of(arm(6.5, 1), new ProbabilityMatching.Arm(8, 3, 0.8),
				new ProbabilityMatching.Arm(30.5, 10.25, 1.3)));
	}

	@Test
	void agreesWithTheReferenceOnManyCandidatesMostOfWhichCannotBeTheBest() {
		SplittableRandom random = new SplittableRandom(32);
		for (int trial = 0; trial < 2; trial++) {
			List<ProbabilityMatching.Arm> arms = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				double outcomes = 20 + 2000 * random.nextDouble();
				double rate = 0.3 + 0.65 * random.nextDouble();
				arms.add(new ProbabilityMatching.Arm(1 + outcomes * rate, 1 + outcomes * (1 - rate),
						(trial == 1) ? 0.5 + random.nextDouble() : 1));
			}
			assertAgreesWithTheReference(arms);
		}
	}

	@Test
	void givesEqualArmsEqualShares() {
		List<ProbabilityMatching.Arm> arms = new ArrayList<>();
		for (int i = 0; i < 32; i++) {
			arms.add(arm(70.5, 30.25));
		}
		double[] probabilities = ProbabilityMatching.probabilities(arms);
		for (double probability : probabilities) {
			assertThat(probability).isCloseTo(1.0 / 32, within(TOLERANCE));
		}
		assertThat(Arrays.stream(probabilities).sum()).isCloseTo(1, within(1e-12));
	}

	private static ProbabilityMatching.Arm arm(double alpha, double beta) {
		return new ProbabilityMatching.Arm(alpha, beta, 1);
	}

	private static void assertAgreesWithTheReference(List<ProbabilityMatching.Arm> arms) {
		double[] computed = ProbabilityMatching.probabilities(arms);
		double[] reference = reference(arms);
		assertThat(Arrays.stream(computed).sum()).as("sum").isCloseTo(1, within(1e-12));
		for (int i = 0; i < arms.size(); i++) {
			assertThat(computed[i]).as("arm %d of %s", i, arms).isCloseTo(reference[i], within(TOLERANCE));
		}
	}

	private static final GaussLegendre REFERENCE_RULE = new GaussLegendre(20);

	@Test
	void theRuleIntegratesPolynomialsExactlyOverTheWholeAndUpToEachNode() {
		for (int m : new int[] { 16, 20 }) {
			GaussLegendre rule = new GaussLegendre(m);
			for (int degree = 0; degree < 2 * m; degree++) {
				double sum = 0;
				for (int q = 0; q < m; q++) {
					sum += rule.weights[q] * Math.pow(rule.nodes[q], degree);
				}
				double exact = (degree % 2 == 0) ? 2.0 / (degree + 1) : 0;
				assertThat(sum).as("x^%d with %d nodes", degree, m).isCloseTo(exact, within(1e-14));
			}
			for (int degree = 0; degree < m; degree++) {
				for (int q = 0; q < m; q++) {
					double sum = 0;
					for (int r = 0; r < m; r++) {
						sum += rule.integration[q][r] * Math.pow(rule.nodes[r], degree);
					}
					double exact = (Math.pow(rule.nodes[q], degree + 1) - Math.pow(-1, degree + 1)) / (degree + 1);
					assertThat(sum).as("x^%d up to node %d", degree, q).isCloseTo(exact, within(1e-13));
				}
			}
		}
	}

	/**
	 * P(i) = ∫ c_i f_i(c_i s) Π_{j≠i} F_j(c_j s) ds over [0, 1 / c_i], with 2,000 equal
	 * panels and the first and last cut 80 times in halves.
	 */
	private static double[] reference(List<ProbabilityMatching.Arm> arms) {
		int k = arms.size();
		BetaDistribution[] betas = new BetaDistribution[k];
		for (int i = 0; i < k; i++) {
			betas[i] = BetaDistribution.of(arms.get(i).alpha(), arms.get(i).beta());
		}
		double[] probabilities = new double[k];
		int panels = 2000;
		for (int i = 0; i < k; i++) {
			double cost = arms.get(i).cost();
			double end = 1 / cost;
			double width = end / panels;
			List<double[]> mesh = new ArrayList<>();
			for (int p = 1; p < panels - 1; p++) {
				mesh.add(new double[] { p * width, (p + 1) * width });
			}
			for (int g = 0; g < 80; g++) {
				double outer = width * Math.pow(0.5, g);
				mesh.add(new double[] { outer / 2, outer });
				mesh.add(new double[] { end - outer, end - outer / 2 });
			}
			double sum = 0;
			for (double[] panel : mesh) {
				double half = (panel[1] - panel[0]) / 2;
				for (int q = 0; q < REFERENCE_RULE.nodes.length; q++) {
					double score = panel[0] + half * (1 + REFERENCE_RULE.nodes[q]);
					double value = cost * betas[i].density(Math.min(1, score * cost));
					for (int j = 0; j < k && value != 0; j++) {
						if (j != i) {
							value *= betas[j].cumulativeProbability(Math.min(1, score * arms.get(j).cost()));
						}
					}
					sum += half * REFERENCE_RULE.weights[q] * value;
				}
			}
			probabilities[i] = sum;
		}
		return probabilities;
	}

}

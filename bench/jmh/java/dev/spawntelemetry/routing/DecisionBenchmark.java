package dev.spawntelemetry.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision: the exact probabilities with which the policy chooses each of 8
 * or 32 candidates, from posteriors of a few hundred discounted outcomes each, as a busy
 * caste's are, or of 10 to 20 (wide posteriors, whose densities reach 1 with a
 * non-integer exponent, as those of a caste whose evidence was forgotten). Sampled, so
 * that JMH prints the p99 beside the mean; the goal is 1 ms for 8 candidates and 5 ms for
 * 32.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {

	@Param({ "8", "32" })
	int candidates;

	@Param({ "hundreds", "tens" })
	String outcomes;

	List<ProbabilityMatching.Arm> arms;

	@Setup
	public void arms() {
		Random random = new Random(7);
		this.arms = new ArrayList<>();
		for (int i = 0; i < this.candidates; i++) {
			double rate = 0.5 + 0.4 * random.nextDouble();
			double resolved = "tens".equals(this.outcomes) ? 10 + 10 * random.nextDouble()
					: 50 + 450 * random.nextDouble();
			this.arms.add(new ProbabilityMatching.Arm(1 + rate * resolved, 1 + (1 - rate) * resolved, 1));
		}
	}

	@Benchmark
	public double[] probabilities() {
		return ProbabilityMatching.probabilities(this.arms);
	}

}

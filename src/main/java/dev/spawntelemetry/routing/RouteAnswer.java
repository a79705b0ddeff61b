package dev.spawntelemetry.routing;

import java.util.List;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;

/**
 * The answer of {@code GET /routes/{caste}}: what the policy would do now.
 *
 * @param version the state's version the probabilities were computed from
 * @param explorationFloor the least probability of every candidate
 * @param taskClass the task class the probabilities are for
 * @param model one choice drawn by the probabilities, the same for the same state
 * @param candidates in the order given
 */
record RouteAnswer(String caste, long version, String policy, Objective objective, String taskClass,
		double explorationFloor, String model, List<CandidateAnswer> candidates) {

	/**
	 * @param intervals the 95% interval of a Beta(alpha, beta) posterior
	 */
	static RouteAnswer of(String caste, long version, RoutePolicy.Odds odds, int sampled,
			BiFunction<Double, Double, double[]> intervals) {
		return new RouteAnswer(caste, version, odds.policy(), odds.objective(), odds.taskClass(), odds.floor(),
				odds.candidates().get(sampled).model(),
				odds.candidates()
					.stream()
					.map((candidate) -> CandidateAnswer.of(caste, candidate,
							intervals.apply(candidate.alpha(), candidate.beta())))
					.toList());
	}

	/**
	 * One candidate.
	 *
	 * @param probability with which the policy chooses it now, exactly the propensity a
	 * spawn routed at this state records
	 * @param probabilityBest that it is the best, by its posterior, before the floor
	 * @param recent the discounted evidence the policy uses
	 * @param lifetime every outcome ever counted
	 * @param tokensPerResolvedSpawn its tokens per resolved spawn for the caste, or null
	 * if none were reported
	 * @param relativeCost what its rate is divided by under success-per-token (1
	 * otherwise)
	 * @param alarm the last change the detector found, or null
	 */
	record CandidateAnswer(String model, double probability, double probabilityBest, Recent recent, Lifetime lifetime,
			@Nullable Double tokensPerResolvedSpawn, double relativeCost, @Nullable DriftAlert alarm) {

		static CandidateAnswer of(String caste, RoutePolicy.Candidate candidate, double[] interval) {
			CasteStats lifetime = candidate.lifetime();
			long resolved = lifetime.completed() + lifetime.failed() + lifetime.blocked();
			Recent recent = new Recent(round(candidate.alpha() + candidate.beta() - 2), round(candidate.alpha() - 1),
					round(candidate.posteriorMean()), round(interval[0]), round(interval[1]));
			// unrounded: the probability is the propensity a routed spawn records at this
			// state
			return new CandidateAnswer(candidate.model(), candidate.probability(), candidate.matched(), recent,
					new Lifetime(resolved, lifetime.completed(),
							(resolved > 0) ? round((double) lifetime.completed() / resolved) : null),
					(resolved > 0 && lifetime.tokens() > 0) ? round((double) lifetime.tokens() / resolved) : null,
					round(candidate.cost()), (lifetime.routing().alarm() != null)
							? DriftAlert.of(candidate.model(), caste, lifetime.routing().alarm()) : null);
		}

	}

	/**
	 * The discounted evidence and the Beta(1 + completed, 1 + the rest) posterior on it.
	 *
	 * @param low the 2.5% quantile of the posterior
	 * @param high the 97.5% quantile
	 */
	record Recent(double resolved, double completed, double posteriorMean, double low, double high) {

	}

	record Lifetime(long resolved, long completed, @Nullable Double successRate) {

	}

	static double round(double value) {
		return Math.round(value * 1e6) / 1e6;
	}

}

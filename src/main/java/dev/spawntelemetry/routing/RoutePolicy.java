package dev.spawntelemetry.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.apache.commons.statistics.distribution.BetaDistribution;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.Router;

import org.springframework.stereotype.Component;

/**
 * Thompson sampling on Beta(1 + completed, 1 + failed and blocked) posteriors of each
 * candidate's discounted evidence for the caste ({@link RouteEvidence}), every candidate
 * kept at or above the exploration floor. For a task class other than the default, the
 * evidence is the class's own, with the caste's as a weak prior of at most
 * {@value #CLASS_PRIOR} outcomes at the caste's rate, so that a new class routes like its
 * caste until its own outcomes say otherwise. The probabilities depend on the evidence
 * alone; the choice draws one number from the seed and the spawn's id.
 */
@Component
public class RoutePolicy implements Router {

	public static final String NAME = "thompson-discounted";

	/** The most outcomes a task class borrows from its caste's evidence. */
	public static final double CLASS_PRIOR = 10;

	/**
	 * The probabilities of the posteriors most recently asked about. They are a function
	 * of the posteriors alone, and these change only with an outcome of the caste, so the
	 * routed spawns and route reads between two outcomes share one computation.
	 */
	private static final int REMEMBERED = 256;

	private final RoutingProperties properties;

	private final Map<List<ProbabilityMatching.Arm>, double[]> remembered = lastUsed(REMEMBERED);

	/** The 95% intervals of the posteriors most recently asked about, as remembered. */
	private final Map<ProbabilityMatching.Arm, double[]> intervals = lastUsed(4 * REMEMBERED);

	public RoutePolicy(RoutingProperties properties) {
		this.properties = properties;
	}

	RoutingProperties properties() {
		return this.properties;
	}

	@Override
	public Choice choose(String spawnId, String caste, List<String> candidates,
			Function<String, @Nullable CasteStats> statsOf) {
		return forTaskClass(RouteEvidence.DEFAULT_CLASS).choose(spawnId, caste, candidates, statsOf);
	}

	/**
	 * The router of spawns of a task class, on that class's evidence and the default
	 * objective.
	 */
	public Router forTaskClass(String taskClass) {
		return (spawnId, caste, candidates, statsOf) -> choose(spawnId,
				odds(candidates, statsOf, this.properties.defaultObjective(), taskClass));
	}

	/** Chooses by the given odds, drawing from the seed and the spawn's id. */
	Choice choose(String spawnId, Odds odds) {
		int chosen = odds.draw(uniform(this.properties.seed(), spawnId));
		return new Choice(odds.candidates().get(chosen).model(), odds.route(chosen));
	}

	/** What the policy would do now for these candidates, for a task class. */
	Odds odds(List<String> candidates, Function<String, @Nullable CasteStats> statsOf, Objective objective,
			String taskClass) {
		List<CasteStats> stats = new ArrayList<>(candidates.size());
		for (String candidate : candidates) {
			CasteStats found = statsOf.apply(candidate);
			stats.add((found != null) ? found : CasteStats.NONE);
		}
		double[] costs = costs(stats, objective);
		List<ProbabilityMatching.Arm> arms = new ArrayList<>(candidates.size());
		for (int i = 0; i < candidates.size(); i++) {
			RouteEvidence caste = stats.get(i).routing();
			RouteEvidence own = caste.ofClass(taskClass);
			double prior = RouteEvidence.DEFAULT_CLASS.equals(taskClass) ? 0 : Math.min(CLASS_PRIOR, caste.resolved());
			double rate = (caste.resolved() > 0) ? caste.successes() / caste.resolved() : 0;
			arms.add(new ProbabilityMatching.Arm(1 + own.successes() + prior * rate,
					1 + own.failures() + prior * (1 - rate), costs[i]));
		}
		double[] matched = matched(List.copyOf(arms));
		double floor = Math.min(this.properties.explorationFloor(), 1.0 / candidates.size());
		List<Candidate> odds = new ArrayList<>(candidates.size());
		for (int i = 0; i < candidates.size(); i++) {
			double probability = floor + (1 - candidates.size() * floor) * matched[i];
			odds.add(new Candidate(candidates.get(i), probability, matched[i], arms.get(i).alpha(), arms.get(i).beta(),
					costs[i], stats.get(i)));
		}
		return new Odds(objective, taskClass, floor, odds);
	}

	private double[] matched(List<ProbabilityMatching.Arm> arms) {
		double[] known = this.remembered.get(arms);
		if (known == null) {
			// computed outside the lock: two threads may compute the same, equal, answer
			known = ProbabilityMatching.probabilities(arms);
			this.remembered.put(arms, known);
		}
		return known.clone();
	}

	/** A map that keeps the entries used last, forgetting the rest. */
	private static <K, V> Map<K, V> lastUsed(int entries) {
		return Collections.synchronizedMap(new LinkedHashMap<>(entries, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
				return size() > entries;
			}

		});
	}

	/**
	 * The 2.5% and 97.5% quantiles of a Beta({@code alpha}, {@code beta}) posterior; each
	 * costs two searches for a root, and a caste's posteriors change only with its
	 * outcomes.
	 */
	double[] interval(double alpha, double beta) {
		ProbabilityMatching.Arm posterior = new ProbabilityMatching.Arm(alpha, beta, 1);
		double[] known = this.intervals.get(posterior);
		if (known == null) {
			BetaDistribution distribution = BetaDistribution.of(alpha, beta);
			known = new double[] { distribution.inverseCumulativeProbability(0.025),
					distribution.inverseCumulativeProbability(0.975) };
			this.intervals.put(posterior, known);
		}
		return known.clone();
	}

	/**
	 * Tokens per resolved spawn, relative to the cheapest candidate; a candidate without
	 * any counts as the median of those with some, and all as 1 when none has any.
	 */
	private static double[] costs(List<CasteStats> stats, Objective objective) {
		double[] costs = new double[stats.size()];
		Arrays.fill(costs, 1);
		if (objective != Objective.SUCCESS_PER_TOKEN) {
			return costs;
		}
		double[] known = stats.stream()
			.filter((caste) -> caste.tokens() > 0 && resolved(caste) > 0)
			.mapToDouble((caste) -> (double) caste.tokens() / resolved(caste))
			.sorted()
			.toArray();
		if (known.length == 0) {
			return costs;
		}
		double median = (known[(known.length - 1) / 2] + known[known.length / 2]) / 2;
		double cheapest = known[0];
		for (int i = 0; i < costs.length; i++) {
			CasteStats caste = stats.get(i);
			double perSpawn = (caste.tokens() > 0 && resolved(caste) > 0) ? (double) caste.tokens() / resolved(caste)
					: median;
			costs[i] = perSpawn / cheapest;
		}
		return costs;
	}

	private static long resolved(CasteStats caste) {
		return caste.completed() + caste.failed() + caste.blocked();
	}

	/** A number in [0, 1) drawn from the seed and a key, the same for both every time. */
	static double uniform(long seed, String key) {
		long hash = 0xcbf29ce484222325L;
		for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
			hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
		}
		return new SplittableRandom(hash ^ seed).nextDouble();
	}

	/**
	 * One candidate's odds.
	 *
	 * @param probability the probability the policy chooses it with
	 * @param matched the probability that it is the best, before the floor
	 * @param alpha the posterior's first parameter
	 * @param beta the posterior's second parameter
	 * @param cost its tokens per resolved spawn relative to the cheapest candidate's
	 * @param lifetime its lifetime counters for the caste
	 */
	record Candidate(String model, double probability, double matched, double alpha, double beta, double cost,
			CasteStats lifetime) {

		double posteriorMean() {
			return this.alpha / (this.alpha + this.beta);
		}

	}

	/** The odds of every candidate, in the order given. */
	record Odds(Objective objective, String taskClass, double floor, List<Candidate> candidates) {

		String policy() {
			return (this.objective == Objective.SUCCESS) ? NAME : NAME + "/" + this.objective.wireName();
		}

		int draw(double uniform) {
			double cumulative = 0;
			for (int i = 0; i < this.candidates.size(); i++) {
				cumulative += this.candidates.get(i).probability();
				if (uniform < cumulative) {
					return i;
				}
			}
			return this.candidates.size() - 1;
		}

		int likeliestBest() {
			int best = 0;
			for (int i = 1; i < this.candidates.size(); i++) {
				if (this.candidates.get(i).matched() > this.candidates.get(best).matched()) {
					best = i;
				}
			}
			return best;
		}

		dev.spawntelemetry.telemetry.Route route(int chosen) {
			Candidate candidate = this.candidates.get(chosen);
			int best = likeliestBest();
			String reason = String.format(Locale.ROOT,
					"%s chosen with probability %.4f, %s (posterior mean %.3f over %.1f recent outcomes)",
					candidate.model(), candidate.probability(),
					(chosen == best) ? "the likeliest best of " + this.candidates.size()
							: "exploring; the likeliest best is " + this.candidates.get(best).model(),
					candidate.posteriorMean(), candidate.alpha() + candidate.beta() - 2);
			return new dev.spawntelemetry.telemetry.Route(policy(), candidate.probability(), reason,
					this.candidates.stream().map(Candidate::model).toList(), this.taskClass);
		}

	}

}

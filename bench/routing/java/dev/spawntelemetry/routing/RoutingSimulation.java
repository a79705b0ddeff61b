package dev.spawntelemetry.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.apache.commons.statistics.distribution.BetaDistribution;

import dev.spawntelemetry.stats.TodaysRecommendation;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.Router;
import dev.spawntelemetry.telemetry.ToolUsage;

/**
 * The benchmark that decides the routing policy: simulated colonies whose models succeed
 * with rates only an oracle knows, routed by the service's own code (the policy, the
 * evidence and its detector, today's recommendation) against baselines, over many seeds.
 * Prints the cumulative regret against the oracle, per scenario and policy.
 * <p>
 * Usage: {@code bench/routing/run.sh [seeds]}
 */
public final class RoutingSimulation {

	private static final String CASTE = "builder";

	private RoutingSimulation() {
	}

	/** The true rates of each arm over time, and the tokens each uses per spawn. */
	record Scenario(String name, int spawns, double[] before, double[] after, int changeAt, long[] tokens,
			int maxDelay, Objective objective, int lastArmFrom) {

		Scenario(String name, int spawns, double[] before, double[] after, int changeAt, long[] tokens, int maxDelay,
				Objective objective) {
			this(name, spawns, before, after, changeAt, tokens, maxDelay, objective, 0);
		}

		/** How many arms there are at spawn t: the last only from {@code lastArmFrom} on. */
		int available(int t) {
			return (t < this.lastArmFrom) ? this.before.length - 1 : this.before.length;
		}

		double rate(int arm, int t) {
			return (t < this.changeAt) ? this.before[arm] : this.after[arm];
		}

		double best(int t) {
			double best = 0;
			for (int arm = 0; arm < available(t); arm++) {
				best = Math.max(best, rate(arm, t));
			}
			return best;
		}

		int arms() {
			return this.before.length;
		}

		Scenario delayed() {
			return new Scenario(this.name + ", delayed 0-200", this.spawns, this.before, this.after, this.changeAt,
					this.tokens, 200, this.objective, this.lastArmFrom);
		}

	}

	interface Policy {

		/** Chooses among the first {@code available} arms, the others not yet there. */
		int choose(int t, int available);

		void observe(int arm, boolean completed, long tokens, int t);

		/** Whether the last observation raised a drift alarm. */
		default boolean alarmed() {
			return false;
		}

	}

	/**
	 * @param shareOfArm1Late the share of arm 1 in the second half
	 * @param shareOfArm0Last500 the share of arm 0 in the last 500 spawns
	 * @param shareOfLastArmLast500 the share of the last arm in the last 500 spawns
	 */
	record Result(double regret, int alarms, int falseAlarms, int detectionDelay, double shareOfArm1Late,
			double shareOfArm0Last500, double shareOfLastArmLast500) {

	}

	static Result run(Scenario scenario, Function<Long, Policy> policies, long seed) {
		Policy policy = policies.apply(seed);
		SplittableRandom world = new SplittableRandom(seed * 7919 + 17);
		record Pending(int at, int spawnedAt, int arm, boolean completed, long tokens) {
		}
		PriorityQueue<Pending> pending = new PriorityQueue<>((a, b) -> Integer.compare(a.at, b.at));
		double regret = 0;
		int alarms = 0;
		int falseAlarms = 0;
		int detectionDelay = -1;
		int changedModelOutcomesSinceChange = 0;
		int arm1Late = 0;
		int arm0Last500 = 0;
		int lastArmLast500 = 0;
		int changedArm = 0;
		for (int t = 0; t < scenario.spawns(); t++) {
			while (!pending.isEmpty() && pending.peek().at <= t) {
				Pending outcome = pending.poll();
				policy.observe(outcome.arm, outcome.completed, outcome.tokens, t);
				if (outcome.arm == changedArm && outcome.spawnedAt >= scenario.changeAt()) {
					changedModelOutcomesSinceChange++;
				}
				if (policy.alarmed()) {
					alarms++;
					boolean real = t >= scenario.changeAt() && outcome.arm == changedArm;
					if (!real) {
						falseAlarms++;
					}
					if (real && detectionDelay < 0) {
						detectionDelay = changedModelOutcomesSinceChange;
					}
				}
			}
			int arm = policy.choose(t, scenario.available(t));
			double rate = scenario.rate(arm, t);
			regret += scenario.best(t) - rate;
			if (arm == 1 && t >= scenario.spawns() / 2) {
				arm1Late++;
			}
			if (arm == 0 && t >= scenario.spawns() - 500) {
				arm0Last500++;
			}
			if (arm == scenario.arms() - 1 && t >= scenario.spawns() - 500) {
				lastArmLast500++;
			}
			boolean completed = world.nextDouble() < rate;
			long tokens = Math.round(scenario.tokens()[arm] * (0.8 + 0.4 * world.nextDouble()));
			int delay = (scenario.maxDelay() > 0) ? world.nextInt(scenario.maxDelay() + 1) : 0;
			pending.add(new Pending(t + delay, t, arm, completed, tokens));
		}
		return new Result(regret, alarms, falseAlarms, detectionDelay,
				(double) arm1Late / (scenario.spawns() - scenario.spawns() / 2),
				arm0Last500 / (double) Math.min(500, scenario.spawns()),
				lastArmLast500 / (double) Math.min(500, scenario.spawns()));
	}

	/** The ancestor: always the caste's default, the first candidate. */
	static Policy ancestor() {
		return new Policy() {
			public int choose(int t, int available) {
				return 0;
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
			}
		};
	}

	static Policy uniform(long seed, int arms) {
		SplittableRandom random = new SplittableRandom(seed);
		return new Policy() {
			public int choose(int t, int available) {
				return random.nextInt(available);
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
			}
		};
	}

	/** The service's counters per arm, as the writer keeps them. */
	static final class Counters {

		final CasteStats[] stats;

		Counters(int arms) {
			this.stats = new CasteStats[arms];
			Arrays.fill(this.stats, CasteStats.NONE.withSpawn());
		}

		/** The caste's clock: its outcomes on every arm. */
		long clock;

		boolean observe(int arm, boolean completed, long tokens, int t) {
			return observe(arm, completed, tokens, t, null);
		}

		boolean observe(int arm, boolean completed, long tokens, int t, String taskClass) {
			RouteEvidence.DriftAlarm before = this.stats[arm].routing().alarm();
			this.stats[arm] = this.stats[arm].withUsage(tokens, ToolUsage.NONE)
				.withOutcome(completed ? Outcome.COMPLETED : Outcome.FAILED, Duration.ZERO,
						Instant.EPOCH.plusSeconds(t), this.clock++, taskClass);
			return this.stats[arm].routing().alarm() != before;
		}

		/** Each arm's counters, the routing evidence aged to the caste's clock. */
		Map<String, CasteStats> byModel() {
			Map<String, CasteStats> byModel = new LinkedHashMap<>();
			for (int arm = 0; arm < this.stats.length; arm++) {
				byModel.put(model(arm), this.stats[arm].agedTo(this.clock));
			}
			return byModel;
		}

	}

	static String model(int arm) {
		return "model-" + arm;
	}

	/** Today's {@code /recommendations}: the best Wilson lower bound, else the default. */
	static Policy greedyWilson(int arms) {
		Counters counters = new Counters(arms);
		return new Policy() {
			public int choose(int t, int available) {
				String recommended = TodaysRecommendation.recommended(CASTE, 10, counters.byModel());
				return (recommended != null) ? Integer.parseInt(recommended.substring("model-".length())) : 0;
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
				counters.observe(arm, completed, tokens, t);
			}
		};
	}

	/** Thompson sampling on lifetime counts: a Beta(1, 1) prior, draws from the posteriors. */
	static Policy thompsonLifetime(long seed, int arms) {
		SplittableRandom random = new SplittableRandom(seed);
		long[] successes = new long[arms];
		long[] failures = new long[arms];
		return new Policy() {
			public int choose(int t, int available) {
				int best = 0;
				double bestDraw = -1;
				for (int arm = 0; arm < available; arm++) {
					double draw = BetaDistribution.of(1 + successes[arm], 1 + failures[arm])
						.createSampler(random::nextLong)
						.sample();
					if (draw > bestDraw) {
						bestDraw = draw;
						best = arm;
					}
				}
				return best;
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
				if (completed) {
					successes[arm]++;
				}
				else {
					failures[arm]++;
				}
			}
		};
	}

	/**
	 * LiteLLM's adaptive router as its documentation describes it: Thompson sampling on
	 * Beta(1 + successes, 1 + failures) per request type, whose updates stop once α + β
	 * reaches 200.
	 */
	static Policy liteLlmCapped(long seed, int arms) {
		SplittableRandom random = new SplittableRandom(seed);
		double[] alpha = new double[arms];
		double[] beta = new double[arms];
		Arrays.fill(alpha, 1);
		Arrays.fill(beta, 1);
		return new Policy() {
			public int choose(int t, int available) {
				return bestDraw(random, alpha, beta, available);
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
				if (alpha[arm] + beta[arm] < 200) {
					alpha[arm] += completed ? 1 : 0;
					beta[arm] += completed ? 0 : 1;
				}
			}
		};
	}

	/**
	 * Sliding-window Thompson sampling: Beta posteriors on the outcomes of the caste's
	 * last {@code window} outcomes, whichever arm they came from.
	 */
	static Policy slidingWindow(long seed, int arms, int window) {
		SplittableRandom random = new SplittableRandom(seed);
		double[] alpha = new double[arms];
		double[] beta = new double[arms];
		Arrays.fill(alpha, 1);
		Arrays.fill(beta, 1);
		java.util.ArrayDeque<int[]> recent = new java.util.ArrayDeque<>();
		return new Policy() {
			public int choose(int t, int available) {
				return bestDraw(random, alpha, beta, available);
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
				recent.addLast(new int[] { arm, completed ? 1 : 0 });
				alpha[arm] += completed ? 1 : 0;
				beta[arm] += completed ? 0 : 1;
				if (recent.size() > window) {
					int[] old = recent.removeFirst();
					alpha[old[0]] -= old[1];
					beta[old[0]] -= 1 - old[1];
				}
			}
		};
	}

	/**
	 * Track-and-stop as TensorZero's experiments run it: explore the arms evenly until one
	 * is declared the winner at 95% (its lower Wilson bound above every other's upper one,
	 * Bonferroni-corrected), then route every spawn to it for good.
	 */
	static Policy trackAndStop(int arms) {
		long[] successes = new long[arms];
		long[] outcomes = new long[arms];
		int[] winner = { -1 };
		double z = org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1)
			.inverseSurvivalProbability(0.025 / arms);
		return new Policy() {
			private int available = arms;

			public int choose(int t, int available) {
				this.available = available;
				return (winner[0] >= 0) ? winner[0] : t % available;
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
				if (winner[0] >= 0) {
					return;
				}
				successes[arm] += completed ? 1 : 0;
				outcomes[arm]++;
				int best = 0;
				for (int i = 1; i < this.available; i++) {
					if (rate(i) > rate(best)) {
						best = i;
					}
				}
				for (int i = 0; i < this.available; i++) {
					if (i != best && wilson(best, -z) <= wilson(i, z)) {
						return;
					}
				}
				winner[0] = best;
			}

			private double rate(int arm) {
				return (outcomes[arm] == 0) ? 0 : (double) successes[arm] / outcomes[arm];
			}

			private double wilson(int arm, double zSigned) {
				double n = outcomes[arm];
				if (n == 0) {
					return (zSigned > 0) ? 1 : 0;
				}
				double p = successes[arm] / n;
				double z2 = zSigned * zSigned;
				return (p + z2 / (2 * n) + zSigned * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (1 + z2 / n);
			}
		};
	}

	private static int bestDraw(SplittableRandom random, double[] alpha, double[] beta, int available) {
		int best = 0;
		double bestDraw = -1;
		for (int arm = 0; arm < available; arm++) {
			double draw = BetaDistribution.of(alpha[arm], beta[arm]).createSampler(random::nextLong).sample();
			if (draw > bestDraw) {
				bestDraw = draw;
				best = arm;
			}
		}
		return best;
	}

	/** The service's policy, on the service's evidence. */
	static Policy chosen(long seed, int arms, Objective objective) {
		RoutePolicy policy = new RoutePolicy(new RoutingProperties(RoutingProperties.DEFAULTS.explorationFloor(), seed,
				objective.wireName(), Map.of()));
		Counters counters = new Counters(arms);
		List<String> candidates = IntStream.range(0, arms).mapToObj(RoutingSimulation::model).toList();
		boolean[] alarmed = new boolean[1];
		return new Policy() {
			public int choose(int t, int available) {
				Map<String, CasteStats> byModel = counters.byModel();
				RoutePolicy.Odds odds = policy.odds(candidates.subList(0, available), byModel::get, objective,
						RouteEvidence.DEFAULT_CLASS);
				String model = policy.choose("spawn-" + seed + "-" + t, odds).model();
				return candidates.indexOf(model);
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
				alarmed[0] = counters.observe(arm, completed, tokens, t);
			}

			public boolean alarmed() {
				return alarmed[0];
			}
		};
	}

	record Summary(double mean, double sd, double p10, double p90) {

		static Summary of(double[] values) {
			double mean = Arrays.stream(values).average().orElse(0);
			double sd = Math.sqrt(Arrays.stream(values).map((v) -> (v - mean) * (v - mean)).sum()
					/ Math.max(1, values.length - 1));
			double[] sorted = values.clone();
			Arrays.sort(sorted);
			return new Summary(mean, sd, sorted[(int) (0.1 * (sorted.length - 1))],
					sorted[(int) Math.ceil(0.9 * (sorted.length - 1))]);
		}

	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("--trade-off")) {
			long[] same = { 1000, 1000, 1000, 1000, 1000 };
			forgettingTradeOff(Integer.parseInt(args[1]),
					new Scenario("stationary", 10_000, new double[] { 0.65, 0.50, 0.60, 0.80, 0.70 },
							new double[] { 0.65, 0.50, 0.60, 0.80, 0.70 }, Integer.MAX_VALUE, same, 0,
							Objective.SUCCESS),
					new Scenario("neglected improves", 5_000, new double[] { 0.55, 0.35, 0.80 },
							new double[] { 0.92, 0.35, 0.80 }, 3_000, new long[] { 1000, 1000, 1000 }, 0,
							Objective.SUCCESS));
			return;
		}
		if (args.length > 0 && args[0].equals("--evaluation")) {
			offPolicyEvaluation(Integer.parseInt(args[1]), 2_000, new double[] { 0.65, 0.50, 0.60, 0.80, 0.70 });
			offPolicyEvaluation(Integer.parseInt(args[1]), 2_000, new double[] { 0.70, 0.72, 0.68 });
			return;
		}
		if (args.length > 0 && args[0].equals("--http")) {
			overHttp(args[1], Long.parseLong(args[2]), (args.length > 3) ? Integer.parseInt(args[3]) : 3000);
			return;
		}
		int seeds = (args.length > 0) ? Integer.parseInt(args[0]) : 50;
		long[] sameTokens = { 1000, 1000, 1000, 1000, 1000 };
		Scenario stationary = new Scenario("stationary", 10_000, new double[] { 0.65, 0.50, 0.60, 0.80, 0.70 },
				new double[] { 0.65, 0.50, 0.60, 0.80, 0.70 }, Integer.MAX_VALUE, sameTokens, 0, Objective.SUCCESS);
		Scenario drift = new Scenario("drift", 15_000, new double[] { 0.85, 0.70, 0.65, 0.60, 0.50 },
				new double[] { 0.55, 0.70, 0.65, 0.75, 0.50 }, 5_000, sameTokens, 0, Objective.SUCCESS);
		// the model the policy stopped playing gets better: is it ever found?
		Scenario neglected = new Scenario("neglected improves", 5_000, new double[] { 0.55, 0.35, 0.80 },
				new double[] { 0.92, 0.35, 0.80 }, 3_000, new long[] { 1000, 1000, 1000 }, 0, Objective.SUCCESS);
		// a fourth model appears at spawn 3,000, and it is the best
		Scenario newCandidate = new Scenario("new candidate", 5_000, new double[] { 0.70, 0.55, 0.60, 0.85 },
				new double[] { 0.70, 0.55, 0.60, 0.85 }, Integer.MAX_VALUE, new long[] { 1000, 1000, 1000, 1000 }, 0,
				Objective.SUCCESS, 3_000);
		double[] twelve = { 0.55, 0.60, 0.62, 0.65, 0.58, 0.70, 0.52, 0.75, 0.68, 0.80, 0.57, 0.72 };
		long[] twelveTokens = new long[twelve.length];
		Arrays.fill(twelveTokens, 1000);
		Scenario many = new Scenario("12 candidates", 5_000, twelve, twelve, Integer.MAX_VALUE, twelveTokens, 0,
				Objective.SUCCESS);
		List<Scenario> scenarios = List.of(stationary, drift, neglected, newCandidate, many, stationary.delayed(),
				drift.delayed(), neglected.delayed());
		System.out.printf(Locale.ROOT, "Routing benchmark: %d seeds per cell; cumulative expected regret against an "
				+ "oracle that knows the true rates (mean ± sd [p10, p90])%n", seeds);
		System.out.printf(Locale.ROOT, "exploration floor %.3f, discount %.3f, CUSUM shift %.2f threshold %.1f%n%n",
				RoutingProperties.DEFAULTS.explorationFloor(), RouteEvidence.DISCOUNT, RouteEvidence.SHIFT,
				RouteEvidence.THRESHOLD);
		Map<String, Map<String, Summary>> regrets = new LinkedHashMap<>();
		List<String> lines = new ArrayList<>();
		for (Scenario scenario : scenarios) {
			int arms = scenario.arms();
			Map<String, Function<Long, Policy>> policies = new LinkedHashMap<>();
			policies.put("ancestor (caste default)", (seed) -> ancestor());
			policies.put("uniform random", (seed) -> uniform(seed, arms));
			policies.put("greedy Wilson (/recommendations)", (seed) -> greedyWilson(arms));
			policies.put("Thompson, no forgetting", (seed) -> thompsonLifetime(seed, arms));
			policies.put("LiteLLM (TS, capped at 200)", (seed) -> liteLlmCapped(seed, arms));
			policies.put("track-and-stop", (seed) -> trackAndStop(arms));
			policies.put("sliding-window TS (1000)", (seed) -> slidingWindow(seed, arms, 1000));
			policies.put("chosen: " + RoutePolicy.NAME, (seed) -> chosen(seed, arms, Objective.SUCCESS));
			Map<String, Summary> byPolicy = new LinkedHashMap<>();
			for (Map.Entry<String, Function<Long, Policy>> policy : policies.entrySet()) {
				Result[] results = IntStream.range(0, seeds)
					.parallel()
					.mapToObj((seed) -> run(scenario, policy.getValue(), seed + 1))
					.toArray(Result[]::new);
				Summary regret = Summary.of(Arrays.stream(results).mapToDouble(Result::regret).toArray());
				byPolicy.put(policy.getKey(), regret);
				System.out.printf(Locale.ROOT, "%-28s %-34s %8.1f ± %6.1f [%7.1f, %7.1f]%n", scenario.name(),
						policy.getKey(), regret.mean(), regret.sd(), regret.p10(), regret.p90());
				if (scenario.name().startsWith("new candidate")) {
					double[] shares = Arrays.stream(results)
						.mapToDouble(Result::shareOfLastArmLast500)
						.sorted()
						.toArray();
					lines.add(String.format(Locale.ROOT,
							"%s, %s: the new model gets %.0f%% of the last 500 spawns (median seed; p10 %.0f%%)",
							scenario.name(), policy.getKey(), 100 * shares[shares.length / 2],
							100 * shares[(int) (0.1 * (shares.length - 1))]));
				}
				if (scenario.name().startsWith("neglected")) {
					double[] shares = Arrays.stream(results).mapToDouble(Result::shareOfArm0Last500).sorted().toArray();
					lines.add(String.format(Locale.ROOT,
							"%s, %s: the improved model gets %.0f%% of the last 500 spawns (median seed; p10 %.0f%%)",
							scenario.name(), policy.getKey(), 100 * shares[shares.length / 2],
							100 * shares[(int) (0.1 * (shares.length - 1))]));
				}
				if (policy.getKey().startsWith("chosen")) {
					int alarms = Arrays.stream(results).mapToInt(Result::falseAlarms).sum();
					lines.add(String.format(Locale.ROOT, "%s: false alarms %d in %d spawns (%.2f per 10,000)",
							scenario.name(), alarms, (long) seeds * scenario.spawns(),
							alarms * 10_000.0 / ((long) seeds * scenario.spawns())));
					if (scenario.changeAt() < scenario.spawns()) {
						int[] delays = Arrays.stream(results).mapToInt(Result::detectionDelay).toArray();
						long missed = Arrays.stream(delays).filter((d) -> d < 0).count();
						int[] found = Arrays.stream(delays).filter((d) -> d >= 0).sorted().toArray();
						lines.add(String.format(Locale.ROOT,
								"%s: alarm on the changed model after %s of its outcomes of spawns since the change "
										+ "(median; max %s), none in %d of %d seeds",
								scenario.name(), (found.length > 0) ? found[found.length / 2] : "-",
								(found.length > 0) ? found[found.length - 1] : "-", missed, seeds));
					}
				}
			}
			regrets.put(scenario.name(), byPolicy);
		}
		System.out.println();
		lines.forEach(System.out::println);
		System.out.println();
		String chosen = "chosen: " + RoutePolicy.NAME;
		for (Map.Entry<String, Map<String, Summary>> scenario : regrets.entrySet()) {
			Map<String, Summary> byPolicy = scenario.getValue();
			double ours = byPolicy.get(chosen).mean();
			System.out.printf(Locale.ROOT,
					"%-28s chosen / Thompson no forgetting %.2f, / uniform %.2f, / greedy Wilson %.2f, / LiteLLM %.2f, "
							+ "/ track-and-stop %.2f, / sliding window %.2f%n",
					scenario.getKey(), ours / byPolicy.get("Thompson, no forgetting").mean(),
					ours / byPolicy.get("uniform random").mean(),
					ours / byPolicy.get("greedy Wilson (/recommendations)").mean(),
					ours / byPolicy.get("LiteLLM (TS, capped at 200)").mean(),
					ours / byPolicy.get("track-and-stop").mean(), ours / byPolicy.get("sliding-window TS (1000)").mean());
		}
		cost(seeds);
		taskClasses(seeds);
		offPolicyEvaluation(seeds, 2_000, new double[] { 0.65, 0.50, 0.60, 0.80, 0.70 });
		offPolicyEvaluation(seeds, 2_000, new double[] { 0.70, 0.72, 0.68 });
		forgettingTradeOff(seeds, stationary, neglected);
	}

	/**
	 * The evaluation of GET /routes/{caste}/evaluation on simulated logs: the service's
	 * policy routes {@code spawns} spawns of a stationary world, each logged with the
	 * propensity of its choice; the sums the buckets would hold are fed to the same
	 * estimators, and each policy's estimate is compared with its true rate, which the
	 * simulator knows (the logged policy's: the mean over spawns of Σ p(a)·rate(a)).
	 * Per policy: the seeds with enough effective samples, how often the 95% intervals
	 * covered the truth among those, and the SNIPS bias (mean of estimate − truth).
	 */
	private static void offPolicyEvaluation(int seeds, int spawns, double[] rates) {
		int arms = rates.length;
		String[] names = new String[arms + 2];
		names[0] = "logged";
		for (int arm = 0; arm < arms; arm++) {
			names[1 + arm] = "always " + model(arm) + " (" + rates[arm] + ")";
		}
		names[arms + 1] = "uniform";
		int[] enough = new int[names.length];
		int[] ipsCovered = new int[names.length];
		int[] snipsCovered = new int[names.length];
		double[] bias = new double[names.length];
		double[] ipsBias = new double[names.length];
		double[] effective = new double[names.length];
		double[] everyIpsBias = new double[names.length];
		double[] everySnipsBias = new double[names.length];
		int[] chosen = new int[names.length];
		List<Evaluated> evaluations = IntStream.range(0, seeds).parallel().mapToObj((seed) -> {
			RoutePolicy policy = new RoutePolicy(new RoutingProperties(RoutingProperties.DEFAULTS.explorationFloor(),
					seed + 1, Objective.SUCCESS.wireName(), Map.of()));
			SplittableRandom world = new SplittableRandom(seed * 7919L + 17);
			Counters counters = new Counters(arms);
			List<String> candidates = IntStream.range(0, arms).mapToObj(RoutingSimulation::model).toList();
			PropensitySums.WeightSums[] always = new PropensitySums.WeightSums[arms];
			Arrays.fill(always, PropensitySums.WeightSums.NONE);
			PropensitySums.WeightSums uniform = PropensitySums.WeightSums.NONE;
			long completedCount = 0;
			double loggedTruth = 0;
			for (int t = 0; t < spawns; t++) {
				Map<String, CasteStats> byModel = counters.byModel();
				RoutePolicy.Odds odds = policy.odds(candidates, byModel::get, Objective.SUCCESS,
						RouteEvidence.DEFAULT_CLASS);
				Router.Choice choice = policy.choose("spawn-" + seed + "-" + t, odds);
				int arm = candidates.indexOf(choice.model());
				for (RoutePolicy.Candidate candidate : odds.candidates()) {
					loggedTruth += candidate.probability() * rates[candidates.indexOf(candidate.model())];
				}
				boolean completed = world.nextDouble() < rates[arm];
				double r = completed ? 1 : 0;
				double w = 1 / choice.route().propensity();
				double u = w / arms;
				always[arm] = always[arm].plus(new PropensitySums.WeightSums(w, w * r, w * w, w * w * r, w * 1000));
				uniform = uniform.plus(new PropensitySums.WeightSums(u, u * r, u * u, u * u * r, u * 1000));
				completedCount += completed ? 1 : 0;
				counters.observe(arm, completed, 1000, t);
			}
			PolicyValue[] values = new PolicyValue[arms + 3];
			values[0] = PolicyValue.of("logged", null, "routing",
					new PropensitySums.WeightSums(spawns, completedCount, spawns, completedCount, 1000.0 * spawns),
					spawns);
			for (int arm = 0; arm < arms; arm++) {
				values[1 + arm] = PolicyValue.of("always", model(arm), model(arm), always[arm], spawns);
			}
			values[arms + 1] = PolicyValue.of("uniform", null, "uniform", uniform, spawns);
			// the truth of the logged policy is its own expected rate over these spawns
			values[arms + 2] = new PolicyValue("truth", null, loggedTruth / spawns, false, null, null, null, "");
			PropensitySums.WeightSums[] sums = new PropensitySums.WeightSums[arms + 2];
			sums[0] = new PropensitySums.WeightSums(spawns, completedCount, spawns, completedCount, 1000.0 * spawns);
			System.arraycopy(always, 0, sums, 1, arms);
			sums[arms + 1] = uniform;
			return new Evaluated(values, sums);
		}).toList();
		double uniformTruth = Arrays.stream(rates).average().orElse(0);
		for (Evaluated evaluated : evaluations) {
			PolicyValue[] values = evaluated.values();
			for (int i = 0; i < names.length; i++) {
				double truth = (i == 0) ? values[arms + 2].effectiveSampleSize()
						: (i <= arms) ? rates[i - 1] : uniformTruth;
				PolicyValue value = values[i];
				PropensitySums.WeightSums sums = evaluated.sums()[i];
				if (sums.weights() > 0) {
					chosen[i]++;
					everyIpsBias[i] += sums.weightedSuccesses() / spawns - truth;
					everySnipsBias[i] += sums.weightedSuccesses() / sums.weights() - truth;
				}
				effective[i] += value.effectiveSampleSize() / seeds;
				if (value.enoughExploration()) {
					enough[i]++;
					ipsCovered[i] += value.ips().covers(truth) ? 1 : 0;
					snipsCovered[i] += value.snips().covers(truth) ? 1 : 0;
					bias[i] += value.snips().estimate() - truth;
					ipsBias[i] += value.ips().estimate() - truth;
				}
			}
		}
		System.out.println();
		System.out.printf(Locale.ROOT,
				"off-policy evaluation, %d seeds, %d routed spawns of a stationary world with %d candidates: per policy, "
						+ "the seeds with enough effective samples (>= %.0f), how often the 95%% interval covered the "
						+ "true rate among those (IPS, SNIPS), the SNIPS bias, the mean effective sample size%n",
				seeds, spawns, arms, PolicyValue.MIN_EFFECTIVE_SAMPLE_SIZE);
		for (int i = 0; i < names.length; i++) {
			System.out.printf(Locale.ROOT,
					"  %-28s enough in %2d of %d   covered IPS %5.1f%%  SNIPS %5.1f%%   bias IPS %+.4f  SNIPS %+.4f   ESS %7.1f%n",
					names[i], enough[i], seeds, (enough[i] > 0) ? 100.0 * ipsCovered[i] / enough[i] : Double.NaN,
					(enough[i] > 0) ? 100.0 * snipsCovered[i] / enough[i] : Double.NaN,
					(enough[i] > 0) ? ipsBias[i] / enough[i] : Double.NaN,
					(enough[i] > 0) ? bias[i] / enough[i] : Double.NaN, effective[i]);
		}
		System.out.printf(Locale.ROOT, "the estimators' own bias, over every seed in which the policy's model was chosen "
				+ "at least once, whatever its effective sample size (the answer shows a number only from %.0f)%n",
				PolicyValue.MIN_EFFECTIVE_SAMPLE_SIZE);
		for (int i = 0; i < names.length; i++) {
			System.out.printf(Locale.ROOT, "  %-28s chosen in %2d of %d   bias IPS %+.4f  SNIPS %+.4f%n", names[i],
					chosen[i], seeds, everyIpsBias[i] / chosen[i], everySnipsBias[i] / chosen[i]);
		}
	}

	/** One seed's evaluation: the answers, and the sums they were computed from. */
	private record Evaluated(PolicyValue[] values, PropensitySums.WeightSums[] sums) {
	}

	/**
	 * Discounted Thompson sampling (drawn, not computed) over a range of discounts, on the
	 * two scenarios whose goals pull apart: forgetting slowly keeps the stationary regret
	 * near Thompson sampling's without forgetting, forgetting fast finds the neglected model
	 * that improved. Each row: the regret of each, and its ratio to the goal's baseline.
	 */
	private static void forgettingTradeOff(int seeds, Scenario stationary, Scenario neglected) {
		double thompson = meanRegret(stationary, (seed) -> thompsonLifetime(seed, stationary.arms()), seeds);
		double liteLlm = meanRegret(neglected, (seed) -> liteLlmCapped(seed, neglected.arms()), seeds);
		System.out.println();
		System.out.printf(Locale.ROOT, "forgetting trade-off, discounted Thompson sampling drawn, %d seeds: stationary "
				+ "regret / Thompson without forgetting (goal <= 1.5), neglected improves regret / LiteLLM (goal <= 0.3)%n",
				seeds);
		for (double discount : new double[] { 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999, 1 }) {
			double still = meanRegret(stationary, (seed) -> discounted(seed, stationary.arms(), discount), seeds);
			double found = meanRegret(neglected, (seed) -> discounted(seed, neglected.arms(), discount), seeds);
			System.out.printf(Locale.ROOT,
					"discount %-7s stationary %7.1f (%.2f)   neglected improves %7.1f (%.2f)%s%n", discount, still,
					still / thompson, found, found / liteLlm,
					(still / thompson <= 1.5 && found / liteLlm <= 0.3) ? "   both goals met" : "");
		}
	}

	private static double meanRegret(Scenario scenario, Function<Long, Policy> policy, int seeds) {
		return IntStream.range(0, seeds)
			.parallel()
			.mapToDouble((seed) -> run(scenario, policy, seed + 1).regret())
			.average()
			.orElse(0);
	}

	/** Thompson sampling on evidence that every outcome of the caste multiplies by a discount. */
	static Policy discounted(long seed, int arms, double discount) {
		SplittableRandom random = new SplittableRandom(seed);
		double[] successes = new double[arms];
		double[] failures = new double[arms];
		double[] alpha = new double[arms];
		double[] beta = new double[arms];
		return new Policy() {
			public int choose(int t, int available) {
				for (int arm = 0; arm < available; arm++) {
					alpha[arm] = 1 + successes[arm];
					beta[arm] = 1 + failures[arm];
				}
				return bestDraw(random, alpha, beta, available);
			}

			public void observe(int arm, boolean completed, long tokens, int t) {
				for (int i = 0; i < arms; i++) {
					successes[i] *= discount;
					failures[i] *= discount;
				}
				successes[arm] += completed ? 1 : 0;
				failures[arm] += completed ? 0 : 1;
			}
		};
	}

	/**
	 * Two task classes of one caste, half the spawns each, whose best models are
	 * opposite: the policy on each class's evidence against the same policy on the
	 * caste's alone.
	 */
	private static void taskClasses(int seeds) {
		double[][] rates = { { 0.85, 0.60 }, { 0.60, 0.85 } };
		String[] classes = { "refactor", "docs" };
		int spawns = 5_000;
		System.out.println();
		Map<String, Summary> byPolicy = new LinkedHashMap<>();
		for (boolean classAware : new boolean[] { false, true }) {
			double[] regrets = IntStream.range(0, seeds).parallel().mapToDouble((seed) -> {
				RoutePolicy policy = new RoutePolicy(new RoutingProperties(
						RoutingProperties.DEFAULTS.explorationFloor(), seed, Objective.SUCCESS.wireName(), Map.of()));
				SplittableRandom world = new SplittableRandom(seed * 7919L + 17);
				Counters counters = new Counters(2);
				List<String> candidates = List.of(model(0), model(1));
				double regret = 0;
				for (int t = 0; t < spawns; t++) {
					int taskClass = world.nextInt(2);
					String name = classAware ? classes[taskClass] : RouteEvidence.DEFAULT_CLASS;
					Map<String, CasteStats> byModel = counters.byModel();
					String model = policy.forTaskClass(name)
						.choose("spawn-" + seed + "-" + t, CASTE, candidates, byModel::get)
						.model();
					int arm = candidates.indexOf(model);
					double rate = rates[taskClass][arm];
					regret += 0.85 - rate;
					counters.observe(arm, world.nextDouble() < rate, 1000, t, classAware ? name : null);
				}
				return regret;
			}).toArray();
			byPolicy.put(classAware ? "per task class" : "caste only", Summary.of(regrets));
		}
		byPolicy.forEach((name, regret) -> System.out.printf(Locale.ROOT,
				"two task classes, best models opposite, %d spawns: %-16s %8.1f ± %6.1f [%7.1f, %7.1f]%n", spawns, name,
				regret.mean(), regret.sd(), regret.p10(), regret.p90()));
		System.out.printf(Locale.ROOT, "two task classes: per task class / caste only %.2f%n",
				byPolicy.get("per task class").mean() / byPolicy.get("caste only").mean());
	}

	/**
	 * The stationary scenario routed by a running service over HTTP, every spawn posted
	 * with its route and its outcome put before the next, beside the same seed in process:
	 * the same code on the same outcomes in the same order must choose the same models.
	 */
	private static void overHttp(String url, long seed, int spawns) throws Exception {
		Scenario scenario = new Scenario("stationary over HTTP", spawns, new double[] { 0.65, 0.50, 0.60, 0.80, 0.70 },
				new double[] { 0.65, 0.50, 0.60, 0.80, 0.70 }, Integer.MAX_VALUE, new long[] { 1000, 1000, 1000, 1000,
						1000 },
				0, Objective.SUCCESS);
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		List<String> candidates = IntStream.range(0, scenario.arms()).mapToObj(RoutingSimulation::model).toList();
		String caste = "bench-" + seed;
		String names = candidates.stream().map((name) -> "\"" + name + "\"").reduce((a, b) -> a + "," + b).orElseThrow();
		long started = System.nanoTime();
		Function<Long, Policy> service = (s) -> new Policy() {
			public int choose(int t, int available) {
				String body = "{\"spawn_id\":\"spawn-" + s + "-" + t + "\",\"task\":\"bench\",\"caste\":\"" + caste
						+ "\",\"route\":{\"candidates\":[" + names + "]}}";
				String answer = send(http, "POST", url + "/spawns", body);
				java.util.regex.Matcher model = java.util.regex.Pattern.compile("\"selected_model\":\"([^\"]+)\"")
					.matcher(answer);
				if (!model.find()) {
					throw new IllegalStateException("no selected_model in " + answer);
				}
				this.last = "spawn-" + s + "-" + t;
				return candidates.indexOf(model.group(1));
			}

			String last;

			public void observe(int arm, boolean completed, long tokens, int t) {
				send(http, "PUT", url + "/spawns/" + this.last + "/outcome",
						"{\"outcome\":\"" + (completed ? "completed" : "failed") + "\",\"tokens\":" + tokens + "}");
			}
		};
		Result overHttp = run(scenario, service, seed);
		double seconds = (System.nanoTime() - started) / 1e9;
		Result inProcess = run(scenario, (s) -> chosen(s, scenario.arms(), Objective.SUCCESS), seed);
		System.out.printf(Locale.ROOT,
				"%d spawns of the stationary scenario, seed %d: regret over HTTP %.1f, in process %.1f (%s); "
						+ "%.0f routed spawns and outcomes per second%n",
				spawns, seed, overHttp.regret(), inProcess.regret(),
				(overHttp.regret() == inProcess.regret()) ? "the same choices" : "DIFFERENT choices", spawns / seconds);
	}

	private static String send(java.net.http.HttpClient http, String method, String url, String body) {
		try {
			java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
					java.net.URI.create(url))
				.header("Content-Type", "application/json")
				.method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() >= 300) {
				throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
						+ response.body());
			}
			return response.body();
		}
		catch (java.io.IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Two candidates 3 points apart, the worse at 40% of the tokens: the share of spawns
	 * the cheaper one gets in the second half, by objective.
	 */
	private static void cost(int seeds) {
		Scenario cost = new Scenario("cost", 10_000, new double[] { 0.80, 0.77 }, new double[] { 0.80, 0.77 },
				Integer.MAX_VALUE, new long[] { 1000, 400 }, 0, Objective.SUCCESS_PER_TOKEN);
		System.out.println();
		for (Objective objective : Objective.values()) {
			double[] shares = IntStream.range(0, seeds)
				.parallel()
				.mapToDouble((seed) -> run(cost, (s) -> chosen(s, 2, objective), seed + 1).shareOfArm1Late())
				.toArray();
			Summary share = Summary.of(shares);
			System.out.printf(Locale.ROOT,
					"cost (0.80 at 1000 tokens vs 0.77 at 400), objective=%s: the cheaper model gets %.1f%% "
							+ "± %.1f of the second half%n",
					objective.wireName(), 100 * share.mean(), 100 * share.sd());
		}
	}

}

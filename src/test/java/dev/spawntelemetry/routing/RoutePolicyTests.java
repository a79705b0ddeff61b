package dev.spawntelemetry.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.ToolUsage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RoutePolicyTests {

	private final RoutePolicy policy = new RoutePolicy(RoutingProperties.DEFAULTS);

	@Test
	void computesTheProbabilitiesThatThompsonSamplingDrawsEachArmAsTheBest() {
		List<ProbabilityMatching.Arm> arms = List.of(new ProbabilityMatching.Arm(31, 11, 1),
				new ProbabilityMatching.Arm(8, 4, 1), new ProbabilityMatching.Arm(1, 1, 1),
				new ProbabilityMatching.Arm(401, 151, 1));
		double[] computed = ProbabilityMatching.probabilities(arms);

		SplittableRandom random = new SplittableRandom(42);
		List<ContinuousDistribution.Sampler> samplers = arms.stream()
			.map((arm) -> BetaDistribution.of(arm.alpha(), arm.beta()).createSampler(random::nextLong))
			.toList();
		int draws = 400_000;
		int[] best = new int[arms.size()];
		for (int i = 0; i < draws; i++) {
			int winner = 0;
			double top = -1;
			for (int arm = 0; arm < arms.size(); arm++) {
				double sample = samplers.get(arm).sample();
				if (sample > top) {
					top = sample;
					winner = arm;
				}
			}
			best[winner]++;
		}
		for (int arm = 0; arm < arms.size(); arm++) {
			assertThat(computed[arm]).as("arm " + arm).isCloseTo((double) best[arm] / draws, within(0.004));
		}
	}

	@Test
	void keepsEveryCandidateAtTheFloorAndSumsToOne() {
		Map<String, CasteStats> stats = Map.of("strong", outcomes(300, 0), "weak", outcomes(0, 300));

		RoutePolicy.Odds odds = this.policy.odds(List.of("strong", "weak", "unknown"), stats::get, Objective.SUCCESS,
				RouteEvidence.DEFAULT_CLASS);

		assertThat(odds.candidates().get(1).probability()).isCloseTo(0.001, within(1e-9));
		assertThat(odds.candidates().get(2).probability()).as("a new candidate is tried").isGreaterThan(0.001);
		assertThat(odds.candidates().stream().mapToDouble(RoutePolicy.Candidate::probability).sum()).isCloseTo(1,
				within(1e-9));
	}

	@Test
	void remembersTheProbabilitiesOfTheSameEvidenceExactlyAndForgetsThemWhenItChanges() {
		Map<String, CasteStats> stats = Map.of("a", outcomes(40, 20), "b", outcomes(30, 30));
		RoutePolicy.Odds first = this.policy.odds(List.of("a", "b"), stats::get, Objective.SUCCESS,
				RouteEvidence.DEFAULT_CLASS);
		RoutePolicy.Odds again = this.policy.odds(List.of("a", "b"), stats::get, Objective.SUCCESS,
				RouteEvidence.DEFAULT_CLASS);
		RoutePolicy.Odds fresh = new RoutePolicy(RoutingProperties.DEFAULTS).odds(List.of("a", "b"), stats::get,
				Objective.SUCCESS, RouteEvidence.DEFAULT_CLASS);
		assertThat(again).isEqualTo(first).isEqualTo(fresh);

		Map<String, CasteStats> later = Map.of("a", outcomes(40, 21), "b", outcomes(30, 30));
		RoutePolicy.Odds changed = this.policy.odds(List.of("a", "b"), later::get, Objective.SUCCESS,
				RouteEvidence.DEFAULT_CLASS);
		assertThat(changed.candidates().get(0).matched()).isLessThan(first.candidates().get(0).matched());
		assertThat(changed).isEqualTo(new RoutePolicy(RoutingProperties.DEFAULTS).odds(List.of("a", "b"), later::get,
				Objective.SUCCESS, RouteEvidence.DEFAULT_CLASS));
	}

	@Test
	void drawsTheSameChoiceForTheSameSpawnAndSeed() {
		Map<String, CasteStats> stats = Map.of("a", outcomes(5, 5), "b", outcomes(5, 5));
		RoutePolicy.Odds odds = this.policy.odds(List.of("a", "b"), stats::get, Objective.SUCCESS,
				RouteEvidence.DEFAULT_CLASS);

		String first = this.policy.choose("spawn-1", odds).model();
		int a = 0;
		for (int i = 0; i < 2000; i++) {
			if (this.policy.choose("spawn-" + i, odds).model().equals("a")) {
				a++;
			}
		}

		assertThat(this.policy.choose("spawn-1", odds).model()).isEqualTo(first);
		assertThat(a).as("about half of 2000 spawns with even odds").isBetween(900, 1100);
		assertThat(new RoutePolicy(new RoutingProperties(0.001, 1, "success", Map.of())).choose("spawn-1", odds)
			.route()
			.propensity()).isEqualTo(this.policy.choose("spawn-1", odds).route().propensity());
	}

	@Test
	void prefersTheCheaperCandidatePerTokenButTheBetterOneForSuccess() {
		CasteStats better = outcomes(400, 100).withUsage(500 * 1000, ToolUsage.NONE);
		CasteStats cheaper = outcomes(385, 115).withUsage(500 * 400, ToolUsage.NONE);
		Map<String, CasteStats> stats = Map.of("better", better, "cheaper", cheaper);

		RoutePolicy.Odds perToken = this.policy.odds(List.of("better", "cheaper"), stats::get,
				Objective.SUCCESS_PER_TOKEN, RouteEvidence.DEFAULT_CLASS);
		RoutePolicy.Odds success = this.policy.odds(List.of("better", "cheaper"), stats::get, Objective.SUCCESS,
				RouteEvidence.DEFAULT_CLASS);

		assertThat(perToken.candidates().get(1).probability()).isGreaterThan(0.99);
		assertThat(perToken.candidates().get(1).cost()).isEqualTo(1);
		assertThat(perToken.candidates().get(0).cost()).isCloseTo(2.5, within(1e-9));
		assertThat(success.candidates().get(0).probability()).isGreaterThan(0.7);
		assertThat(perToken.policy()).isEqualTo("thompson-discounted/success-per-token");
	}

	@Test
	void evidenceForgetsAndStartsFromCountsCappedAtWhatTheDiscountKeeps() {
		RouteEvidence evidence = RouteEvidence.NONE;
		for (int i = 0; i < 5000; i++) {
			evidence = evidence.withOutcome(true, Instant.EPOCH, i);
		}

		assertThat(evidence.resolved()).isCloseTo(1 / (1 - RouteEvidence.DISCOUNT), within(10.0));
		assertThat(RouteEvidence.ofCounts(90_000, 10_000).resolved()).isCloseTo(1000, within(1e-6));
		assertThat(RouteEvidence.ofCounts(90_000, 10_000).successes()).isCloseTo(900, within(1e-6));
		assertThat(RouteEvidence.ofCounts(3, 1).resolved()).isEqualTo(4);
	}

	@Test
	void routesATaskClassOnItsOwnEvidenceWithItsCasteAsAWeakPrior() {
		CasteStats a = CasteStats.NONE;
		CasteStats b = CasteStats.NONE;
		long clock = 0;
		// the caste's default tasks do best on a, its refactors (one in six) on b
		for (int i = 0; i < 240; i++) {
			boolean refactor = i % 6 == 5;
			int n = refactor ? i / 6 : i - i / 6;
			a = a.withSpawn()
				.withOutcome((n % 10 < (refactor ? 3 : 9)) ? Outcome.COMPLETED : Outcome.FAILED, Duration.ZERO,
						Instant.EPOCH, clock++, refactor ? "refactor" : null);
			b = b.withSpawn()
				.withOutcome((n % 10 < (refactor ? 9 : 6)) ? Outcome.COMPLETED : Outcome.FAILED, Duration.ZERO,
						Instant.EPOCH, clock++, refactor ? "refactor" : null);
		}
		Map<String, CasteStats> stats = Map.of("a", a, "b", b);

		RoutePolicy.Odds byDefault = this.policy.odds(List.of("a", "b"), stats::get, Objective.SUCCESS, "default");
		RoutePolicy.Odds refactor = this.policy.odds(List.of("a", "b"), stats::get, Objective.SUCCESS, "refactor");
		RoutePolicy.Odds fresh = this.policy.odds(List.of("a", "b"), stats::get, Objective.SUCCESS, "docs");

		assertThat(byDefault.candidates().get(0).probability()).isGreaterThan(0.99);
		assertThat(refactor.candidates().get(1).probability()).as("the class's own evidence").isGreaterThan(0.99);
		assertThat(refactor.candidates().get(1).alpha() + refactor.candidates().get(1).beta() - 2)
			.as("its own outcomes and at most " + RoutePolicy.CLASS_PRIOR + " borrowed")
			.isCloseTo(b.routing().ofClass("refactor").resolved() + RoutePolicy.CLASS_PRIOR, within(1e-9));
		assertThat(fresh.candidates().get(0).probability()).as("a class without evidence leans on its caste's")
			.isGreaterThan(0.5);
		assertThat(fresh.candidates().get(0).alpha() + fresh.candidates().get(0).beta() - 2)
			.isCloseTo(RoutePolicy.CLASS_PRIOR, within(1e-9));
		assertThat(this.policy.forTaskClass("refactor")
			.choose("s1", "builder", List.of("a", "b"), stats::get)
			.route()
			.taskClass()).isEqualTo("refactor");
	}

	@Test
	void agesTheEvidenceOfAModelNobodyPlaysOnItsCastesClock() {
		RouteEvidence neglected = RouteEvidence.NONE;
		for (int i = 0; i < 100; i++) {
			neglected = neglected.withOutcome(i % 2 == 0, Instant.EPOCH, i);
		}
		long casteClock = 100;

		RouteEvidence later = neglected.agedTo(casteClock + 2000);

		assertThat(later.resolved()).isCloseTo(neglected.resolved() * Math.pow(RouteEvidence.DISCOUNT, 2000),
				within(1e-9));
		assertThat(later.successes() / later.resolved()).as("as uncertain as it was sure, no less likely")
			.isCloseTo(neglected.successes() / neglected.resolved(), within(1e-12));
		assertThat(neglected.agedTo(casteClock)).isEqualTo(neglected);
		assertThat(neglected.agedTo(casteClock + 2000).withOutcome(true, Instant.EPOCH, casteClock + 2000))
			.as("aged lazily: the same whether read aged or updated")
			.isEqualTo(neglected.withOutcome(true, Instant.EPOCH, casteClock + 2000));
		RouteEvidence kept = RouteEvidence.ofCounts(60, 40);
		assertThat(kept.agedTo(5000)).as("evidence kept before the caste's clock ages from its next update")
			.isEqualTo(kept);
	}

	@Test
	void raisesNoAlarmOnASteadyRateAndOneSoonAfterAFall() {
		SplittableRandom random = new SplittableRandom(7);
		RouteEvidence evidence = RouteEvidence.NONE;
		for (int i = 0; i < 20_000; i++) {
			evidence = evidence.withOutcome(random.nextDouble() < 0.8, Instant.EPOCH.plusSeconds(i), i);
		}
		assertThat(evidence.alarm()).as("20,000 outcomes at 0.8").isNull();

		int after = 0;
		while (evidence.alarm() == null) {
			evidence = evidence.withOutcome(random.nextDouble() < 0.5, Instant.EPOCH.plusSeconds(20_000 + after),
					20_000 + after);
			after++;
		}

		assertThat(after).as("outcomes at 0.5 until the alarm").isLessThan(300);
		assertThat(evidence.alarm().before()).isCloseTo(0.8, within(0.05));
		assertThat(evidence.alarm().after()).isLessThan(0.65);
		assertThat(evidence.resolved()).as("the evidence starts again from the change")
			.isEqualTo(evidence.alarm().since());
	}

	/** Outcomes spread evenly, as a steady rate gives them. */
	private static CasteStats outcomes(int completed, int failed) {
		CasteStats stats = CasteStats.NONE;
		int total = completed + failed;
		for (int i = 0; i < total; i++) {
			boolean success = (long) (i + 1) * completed / total > (long) i * completed / total;
			stats = stats.withSpawn()
				.withOutcome(success ? Outcome.COMPLETED : Outcome.FAILED, Duration.ZERO, Instant.EPOCH, i, null);
		}
		return stats;
	}

}

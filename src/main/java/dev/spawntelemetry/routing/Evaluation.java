package dev.spawntelemetry.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.PropensitySums.WeightSums;

/**
 * What routing gained over a window: the policy that routed, beside what each policy the
 * caste could have used instead would have done on the same spawns.
 *
 * @param taskClass the task class evaluated, or null for all of the caste's
 * @param days the whole UTC days of the window, today the last
 * @param from the window's start
 * @param to the window's end (exclusive)
 * @param routed the resolved spawns the service routed in the window, with the propensity
 * of their choice: the spawns every estimate is made of
 * @param chosenByClient the caste's resolved spawns in the window whose model the client
 * chose: not randomized, so never reweighted, only counted apart
 * @param minEffectiveSampleSize below this, a policy's estimate is left out
 * @param policies the logged policy first, then {@code always} each model,
 * {@code uniform}, and the configured {@code default}
 * @param bestFixed the model whose {@code always} policy has the highest self-normalized
 * estimate among those explored enough, or null
 * @param version the state the answer was read at
 */
record Evaluation(String caste, @Nullable String taskClass, int days, Instant from, Instant to, long routed,
		ChosenByClient chosenByClient, double minEffectiveSampleSize, List<PolicyValue> policies,
		@Nullable String bestFixed, long version) {

	/**
	 * Evaluates the policies on the propensity sums of a window.
	 * @param sums per model and task class, the sums of the window
	 * @param counts per model, the caste's spawns of the window (routed or not)
	 * @param candidates the models to evaluate besides those the sums hold
	 * @param defaultModel the caste's configured model, or null
	 */
	static Evaluation of(String caste, @Nullable String taskClass, int days, Instant from, Instant to,
			Map<String, Map<String, PropensitySums>> sums, Map<String, CasteStats> counts, List<String> candidates,
			@Nullable String defaultModel, long version) {
		Set<String> models = new LinkedHashSet<>(sums.keySet());
		models.addAll(candidates);
		if (defaultModel != null) {
			models.add(defaultModel);
		}
		PropensitySums all = PropensitySums.NONE;
		for (Map<String, PropensitySums> byClass : sums.values()) {
			all = all.plus(PropensitySums.ofClass(byClass, taskClass));
		}
		long n = all.resolved();
		List<PolicyValue> policies = new ArrayList<>();
		policies.add(PolicyValue.of("logged", null, "routing",
				new WeightSums(n, all.completed(), n, all.completed(), all.tokens()), n));
		String bestFixed = null;
		double best = -1;
		for (String model : models.stream().sorted().toList()) {
			PolicyValue always = PolicyValue.of("always", model, "always " + model,
					PropensitySums.ofClass(sums.getOrDefault(model, Map.of()), taskClass).always(), n);
			policies.add(always);
			if (always.snips() != null && always.snips().estimate() > best) {
				best = always.snips().estimate();
				bestFixed = model;
			}
		}
		policies.add(PolicyValue.of("uniform", null, "uniform over the candidates", all.uniform(), n));
		if (defaultModel != null) {
			policies.add(PolicyValue.of("default", defaultModel, "your default " + defaultModel,
					PropensitySums.ofClass(sums.getOrDefault(defaultModel, Map.of()), taskClass).always(), n));
		}
		long resolved = 0;
		long completed = 0;
		for (CasteStats stats : counts.values()) {
			resolved += stats.completed() + stats.failed() + stats.blocked();
			completed += stats.completed();
		}
		PropensitySums everyClass = PropensitySums.NONE;
		for (Map<String, PropensitySums> byClass : sums.values()) {
			everyClass = everyClass.plus(PropensitySums.ofClass(byClass, null));
		}
		return new Evaluation(caste, taskClass, days, from, to, n,
				new ChosenByClient(Math.max(0, resolved - everyClass.resolved()),
						Math.max(0, completed - everyClass.completed())),
				PolicyValue.MIN_EFFECTIVE_SAMPLE_SIZE, policies, bestFixed, version);
	}

	/**
	 * The caste's resolved spawns of the window whose model the client chose (of every
	 * task class: a client's choice has none).
	 *
	 * @param resolved how many ended
	 * @param completed how many of those completed
	 */
	record ChosenByClient(long resolved, long completed) {

	}

}

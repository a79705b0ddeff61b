package dev.spawntelemetry.telemetry;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.jspecify.annotations.Nullable;

/**
 * What the resolved spawns the service routed for one caste × task class × model say
 * about policies other than the one that routed them: counts, and the sums of importance
 * weights that off-policy estimators need. A spawn chosen with propensity {@code p} among
 * {@code k} candidates weighs {@code w = 1/p} for the policy that always chooses its
 * model and {@code u = 1/(k p)} for the policy that chooses uniformly among its
 * candidates; {@code r} is 1 when it completed, else 0, and {@code t} its tokens. Kept in
 * the time buckets, added to in the commit that records an outcome or usage, so that an
 * evaluation reads buckets, never spawns.
 *
 * @param resolved routed spawns that ended, with the model
 * @param completed those that completed
 * @param tokens their tokens
 * @param always the sums for the policy that always chooses the model
 * @param uniform the sums for the policy that chooses uniformly among the candidates
 */
public record PropensitySums(long resolved, long completed, long tokens, WeightSums always, WeightSums uniform) {

	public static final PropensitySums NONE = new PropensitySums(0, 0, 0, WeightSums.NONE, WeightSums.NONE);

	/**
	 * What a spawn as it now is adds, per task class: nothing unless the service routed
	 * it and it ended.
	 */
	public static Map<String, PropensitySums> of(SpawnRecord spawn) {
		Route route = spawn.route();
		if (route == null || spawn.outcome() == null || !(route.propensity() > 0)) {
			return Map.of();
		}
		double w = 1 / route.propensity();
		double u = w / Math.max(1, route.candidates().size());
		boolean completed = spawn.outcome() == Outcome.COMPLETED;
		long tokens = spawn.tokens();
		return Map.of(classOf(route), new PropensitySums(1, completed ? 1 : 0, tokens,
				WeightSums.of(w, completed, tokens), WeightSums.of(u, completed, tokens)));
	}

	/**
	 * What a change of a spawn adds, per task class: what it adds now less what it added
	 * before.
	 */
	public static Map<String, PropensitySums> change(SpawnRecord before, SpawnRecord after) {
		Map<String, PropensitySums> change = new HashMap<>(of(after));
		of(before).forEach((taskClass, sums) -> change.merge(taskClass, sums.negated(), PropensitySums::plus));
		change.values().removeIf(NONE::equals);
		return change;
	}

	/** The task class a route chose for; a route before classes chose for the default. */
	public static String classOf(Route route) {
		return (route.taskClass() != null) ? route.taskClass() : RouteEvidence.DEFAULT_CLASS;
	}

	/** Sums of two. */
	public static Map<String, PropensitySums> plus(Map<String, PropensitySums> a, Map<String, PropensitySums> b) {
		if (b.isEmpty()) {
			return a;
		}
		if (a.isEmpty()) {
			return b;
		}
		Map<String, PropensitySums> sum = new HashMap<>(a);
		b.forEach((taskClass, sums) -> sum.merge(taskClass, sums, PropensitySums::plus));
		return sum;
	}

	public PropensitySums plus(PropensitySums other) {
		return new PropensitySums(this.resolved + other.resolved, this.completed + other.completed,
				this.tokens + other.tokens, this.always.plus(other.always), this.uniform.plus(other.uniform));
	}

	/** The sums of several classes, or of one where {@code taskClass} is not null. */
	public static PropensitySums ofClass(Map<String, PropensitySums> byClass, @Nullable String taskClass) {
		if (taskClass != null) {
			return byClass.getOrDefault(taskClass, NONE);
		}
		return byClass.values().stream().reduce(NONE, PropensitySums::plus);
	}

	private PropensitySums negated() {
		return new PropensitySums(-this.resolved, -this.completed, -this.tokens, this.always.negated(),
				this.uniform.negated());
	}

	/**
	 * Sums of importance weights {@code w} over resolved spawns with outcome {@code r} (0
	 * or 1, so {@code r² = r}) and tokens {@code t}.
	 *
	 * @param weights Σw
	 * @param weightedSuccesses Σw·r
	 * @param squaredWeights Σw²
	 * @param squaredWeightedSuccesses Σw²·r (= Σw²·r²)
	 * @param weightedTokens Σw·t
	 */
	public record WeightSums(double weights, double weightedSuccesses, double squaredWeights,
			double squaredWeightedSuccesses, double weightedTokens) {

		public static final WeightSums NONE = new WeightSums(0, 0, 0, 0, 0);

		static WeightSums of(double w, boolean completed, long tokens) {
			double r = completed ? 1 : 0;
			return new WeightSums(w, w * r, w * w, w * w * r, w * tokens);
		}

		public WeightSums plus(WeightSums other) {
			return new WeightSums(this.weights + other.weights, this.weightedSuccesses + other.weightedSuccesses,
					this.squaredWeights + other.squaredWeights,
					this.squaredWeightedSuccesses + other.squaredWeightedSuccesses,
					this.weightedTokens + other.weightedTokens);
		}

		@JsonIgnore
		public boolean isFinite() {
			return Double.isFinite(this.weights) && Double.isFinite(this.weightedSuccesses)
					&& Double.isFinite(this.squaredWeights) && Double.isFinite(this.squaredWeightedSuccesses)
					&& Double.isFinite(this.weightedTokens);
		}

		WeightSums negated() {
			return new WeightSums(-this.weights, -this.weightedSuccesses, -this.squaredWeights,
					-this.squaredWeightedSuccesses, -this.weightedTokens);
		}

	}

}

package dev.spawntelemetry.telemetry;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

/**
 * What the outcomes of one caste on one model, in the order they were recorded, say about
 * its resolved success rate now: counts that forget, and a change detector.
 * <p>
 * The counts are discounted on the caste's clock: every outcome of the caste, on any
 * model, multiplies them by {@link #DISCOUNT}, so the evidence is about the caste's last
 * {@code 1 / (1 - DISCOUNT)} outcomes and never more, and a model nobody plays grows
 * uncertain again, to be tried again in proportion to the chance that it is now the best.
 * The caste's clock is the number of its resolved outcomes ({@link #casteClock}); the
 * counts keep the clock at their last update ({@code clock}) and are aged lazily, when
 * read ({@link #agedTo}) or updated, so that an outcome changes only its own model's
 * evidence. The detector is a two-sided Bernoulli CUSUM: for each outcome it adds the
 * log-likelihood ratio of a rate {@link #SHIFT} below (and one above) the rate the counts
 * stand for, and raises an alarm when either sum passes {@link #THRESHOLD}. The counts
 * then start again from the outcomes since that sum last stood at zero, the detector's
 * estimate of when the change happened. The constants were chosen with the routing
 * benchmark ({@code bench/routing}); they are not configuration, because evidence counted
 * under other constants would mean something else.
 *
 * @param successes completed outcomes, discounted
 * @param failures failed and blocked outcomes, discounted
 * @param fall the CUSUM statistic for a fall of the rate
 * @param fallOutcomes outcomes since {@code fall} last stood at zero
 * @param fallSuccesses completed outcomes among those
 * @param rise the CUSUM statistic for a rise of the rate
 * @param riseOutcomes outcomes since {@code rise} last stood at zero
 * @param riseSuccesses completed outcomes among those
 * @param updatedAt when the last outcome was counted, or null before the first
 * @param alarm the last change the detector found, or null if it found none
 * @param clock the caste's clock when the counts were last updated; null for evidence
 * kept before it aged on the caste's clock, which ages from its next update on
 * @param classes the same, per task class other than the default, of the routed spawns of
 * that class alone (each without classes of its own)
 */
public record RouteEvidence(double successes, double failures, double fall, long fallOutcomes, long fallSuccesses,
		double rise, long riseOutcomes, long riseSuccesses, @Nullable Instant updatedAt, @Nullable DriftAlarm alarm,
		@Nullable Long clock, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, RouteEvidence> classes) {

	public RouteEvidence {
		classes = (classes != null) ? Map.copyOf(classes) : Map.of();
	}

	public RouteEvidence(double successes, double failures, double fall, long fallOutcomes, long fallSuccesses,
			double rise, long riseOutcomes, long riseSuccesses, @Nullable Instant updatedAt, @Nullable DriftAlarm alarm,
			@Nullable Long clock) {
		this(successes, failures, fall, fallOutcomes, fallSuccesses, rise, riseOutcomes, riseSuccesses, updatedAt,
				alarm, clock, Map.of());
	}

	/** Each outcome weighs this much less with every later one. */
	public static final double DISCOUNT = 0.999;

	/** The change the detector looks for, in success rate. */
	public static final double SHIFT = 0.1;

	/** The CUSUM threshold; see the README's routing section for its false-alarm rate. */
	public static final double THRESHOLD = 9.0;

	/**
	 * Discounted outcomes needed before the detector runs, so that the rate it compares
	 * with is not itself mostly noise.
	 */
	public static final double MIN_EVIDENCE = 40;

	public static final RouteEvidence NONE = new RouteEvidence(0, 0, 0, 0, 0, 0, 0, 0, null, null, null);

	/** The task class of a spawn that names none and matches no configured keyword. */
	public static final String DEFAULT_CLASS = "default";

	/**
	 * A caste's clock: its outcomes on every model, as the lifetime aggregates count
	 * them.
	 */
	public static long casteClock(Map<String, ModelStats> models, String caste) {
		long clock = 0;
		for (ModelStats model : models.values()) {
			CasteStats stats = model.byCaste().get(caste);
			if (stats != null) {
				clock += stats.completed() + stats.failed() + stats.blocked();
			}
		}
		return clock;
	}

	/** The counts, and those of every class, as they stand at the caste's clock. */
	public RouteEvidence agedTo(long casteClock) {
		Map<String, RouteEvidence> classes = this.classes;
		if (!classes.isEmpty()) {
			classes = new HashMap<>(classes);
			classes.replaceAll((name, evidence) -> evidence.agedTo(casteClock));
		}
		if (this.clock == null || casteClock <= this.clock) {
			return (classes == this.classes) ? this : withClasses(classes);
		}
		double factor = Math.pow(DISCOUNT, casteClock - this.clock);
		return new RouteEvidence(this.successes * factor, this.failures * factor, this.fall, this.fallOutcomes,
				this.fallSuccesses, this.rise, this.riseOutcomes, this.riseSuccesses, this.updatedAt, this.alarm,
				casteClock, classes);
	}

	/** The evidence of a task class; the default class's is the caste's own. */
	public RouteEvidence ofClass(String taskClass) {
		return DEFAULT_CLASS.equals(taskClass) ? withClasses(Map.of()) : this.classes.getOrDefault(taskClass, NONE);
	}

	private RouteEvidence withClasses(Map<String, RouteEvidence> classes) {
		return new RouteEvidence(this.successes, this.failures, this.fall, this.fallOutcomes, this.fallSuccesses,
				this.rise, this.riseOutcomes, this.riseSuccesses, this.updatedAt, this.alarm, this.clock, classes);
	}

	/** The discounted number of outcomes. */
	public double resolved() {
		return this.successes + this.failures;
	}

	/**
	 * The evidence from counts alone, as a file or database without routing evidence
	 * holds them: at most the outcomes the discount keeps, in their proportion.
	 */
	public static RouteEvidence ofCounts(long completed, long unsuccessful) {
		double resolved = completed + unsuccessful;
		if (resolved == 0) {
			return NONE;
		}
		double scale = Math.min(1.0, (1 / (1 - DISCOUNT)) / resolved);
		return new RouteEvidence(completed * scale, unsuccessful * scale, 0, 0, 0, 0, 0, 0, null, null, null);
	}

	/**
	 * This evidence with one more outcome of a spawn of a task class counted, at the
	 * given time: in the caste's evidence and, for a class other than the default, in the
	 * class's.
	 * @param casteClock the caste's clock before this outcome
	 */
	public RouteEvidence withOutcome(boolean completed, Instant at, long casteClock, @Nullable String taskClass) {
		RouteEvidence counted = withOutcome(completed, at, casteClock);
		if (taskClass == null || DEFAULT_CLASS.equals(taskClass)) {
			return counted;
		}
		Map<String, RouteEvidence> classes = new HashMap<>(this.classes);
		classes.put(taskClass, ofClass(taskClass).withOutcome(completed, at, casteClock));
		return counted.withClasses(classes);
	}

	/**
	 * This evidence with one more outcome counted, at the given time.
	 * @param casteClock the caste's clock before this outcome
	 */
	public RouteEvidence withOutcome(boolean completed, Instant at, long casteClock) {
		RouteEvidence before = (this.clock != null) ? agedTo(casteClock) : this;
		long clock = casteClock + 1;
		double x = completed ? 1 : 0;
		double successes = before.successes * DISCOUNT + x;
		double failures = before.failures * DISCOUNT + (1 - x);
		if (before.resolved() < MIN_EVIDENCE) {
			return new RouteEvidence(successes, failures, 0, 0, 0, 0, 0, 0, at, this.alarm, clock, this.classes);
		}
		// the rate the counts stood for before this outcome, with the prior's weak pull
		double rate = (before.successes + 1) / (before.resolved() + 2);
		double fall = Math.max(0, this.fall + logLikelihoodRatio(rate, Math.max(0.01, rate - SHIFT), completed));
		double rise = Math.max(0, this.rise + logLikelihoodRatio(rate, Math.min(0.99, rate + SHIFT), completed));
		long fallOutcomes = (fall > 0) ? this.fallOutcomes + 1 : 0;
		long fallSuccesses = (fall > 0) ? this.fallSuccesses + (completed ? 1 : 0) : 0;
		long riseOutcomes = (rise > 0) ? this.riseOutcomes + 1 : 0;
		long riseSuccesses = (rise > 0) ? this.riseSuccesses + (completed ? 1 : 0) : 0;
		if (fall > THRESHOLD || rise > THRESHOLD) {
			long since = (fall > THRESHOLD) ? fallOutcomes : riseOutcomes;
			long completedSince = (fall > THRESHOLD) ? fallSuccesses : riseSuccesses;
			DriftAlarm alarm = new DriftAlarm(at, rate, (double) completedSince / since, since, before.resolved());
			return new RouteEvidence(completedSince, since - completedSince, 0, 0, 0, 0, 0, 0, at, alarm, clock,
					this.classes);
		}
		return new RouteEvidence(successes, failures, fall, fallOutcomes, fallSuccesses, rise, riseOutcomes,
				riseSuccesses, at, this.alarm, clock, this.classes);
	}

	/**
	 * Evidence of two histories that were counted apart (a file imported into a database
	 * that already holds some): their counts added, the detector started anew.
	 */
	public RouteEvidence plus(RouteEvidence other) {
		if (other.equals(NONE)) {
			return this;
		}
		if (equals(NONE)) {
			return other;
		}
		Instant updatedAt = (this.updatedAt == null) ? other.updatedAt
				: (other.updatedAt == null || this.updatedAt.isAfter(other.updatedAt)) ? this.updatedAt
						: other.updatedAt;
		DriftAlarm alarm = (this.alarm == null) ? other.alarm
				: (other.alarm == null || this.alarm.at().isAfter(other.alarm.at())) ? this.alarm : other.alarm;
		Map<String, RouteEvidence> classes = new HashMap<>(this.classes);
		other.classes.forEach((name, evidence) -> classes.merge(name, evidence, RouteEvidence::plus));
		return new RouteEvidence(this.successes + other.successes, this.failures + other.failures, 0, 0, 0, 0, 0, 0,
				updatedAt, alarm, null, classes);
	}

	private static double logLikelihoodRatio(double before, double after, boolean completed) {
		return completed ? Math.log(after / before) : Math.log((1 - after) / (1 - before));
	}

	/**
	 * A change of a caste's success rate on a model that the detector found.
	 *
	 * @param at when the outcome that raised it was recorded
	 * @param before the rate the evidence stood for until then
	 * @param after the rate of the outcomes since the estimated change
	 * @param since how many outcomes that is
	 * @param evidence the discounted outcomes {@code before} was drawn from
	 */
	public record DriftAlarm(Instant at, double before, double after, long since, double evidence) {

	}

}

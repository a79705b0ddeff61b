package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * Lifetime counters of one caste on one model. Never rotated.
 *
 * @param spawns spawns recorded
 * @param completed spawns that ended completed
 * @param failed spawns that ended failed
 * @param blocked spawns that ended blocked
 * @param tokens tokens reported for these spawns
 * @param tools tool calls reported for these spawns
 * @param clockSkew outcomes whose time came before the spawn's own timestamp (their
 * duration counts as zero)
 * @param durations from spawn to outcome, per outcome
 * @param routing what the outcomes, in their order, say about the success rate now; none
 * in a time bucket
 * @param propensitySums per task class, the sums of the routed spawns' importance weights
 * for off-policy evaluation; kept in a time bucket only
 */
public record CasteStats(long spawns, long completed, long failed, long blocked, long tokens, ToolUsage tools,
		long clockSkew, Map<Outcome, DurationHistogram> durations, RouteEvidence routing,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, PropensitySums> propensitySums) {

	public static final CasteStats NONE = new CasteStats(0, 0, 0, 0);

	public CasteStats {
		durations = Collections
			.unmodifiableMap(durations.isEmpty() ? new EnumMap<>(Outcome.class) : new EnumMap<>(durations));
		propensitySums = (propensitySums != null) ? Map.copyOf(propensitySums) : Map.of();
	}

	/** Counters without off-policy sums, as the lifetime aggregates hold them. */
	public CasteStats(long spawns, long completed, long failed, long blocked, long tokens, ToolUsage tools,
			long clockSkew, Map<Outcome, DurationHistogram> durations, RouteEvidence routing) {
		this(spawns, completed, failed, blocked, tokens, tools, clockSkew, durations, routing, Map.of());
	}

	/** Counters as the ancestor kept them, with no usage or durations yet. */
	public CasteStats(long spawns, long completed, long failed, long blocked) {
		this(spawns, completed, failed, blocked, 0, ToolUsage.NONE, 0, Map.of());
	}

	/** Counters without routing evidence, as a time bucket holds them. */
	public CasteStats(long spawns, long completed, long failed, long blocked, long tokens, ToolUsage tools,
			long clockSkew, Map<Outcome, DurationHistogram> durations) {
		this(spawns, completed, failed, blocked, tokens, tools, clockSkew, durations, RouteEvidence.NONE);
	}

	/** These counters with the routing evidence as it stands at the caste's clock. */
	public CasteStats agedTo(long casteClock) {
		return withRouting(this.routing.agedTo(casteClock));
	}

	public CasteStats withRouting(RouteEvidence routing) {
		return new CasteStats(this.spawns, this.completed, this.failed, this.blocked, this.tokens, this.tools,
				this.clockSkew, this.durations, routing, this.propensitySums);
	}

	/** These counters with more off-policy sums added. */
	public CasteStats withPropensitySums(Map<String, PropensitySums> added) {
		return added.isEmpty() ? this
				: new CasteStats(this.spawns, this.completed, this.failed, this.blocked, this.tokens, this.tools,
						this.clockSkew, this.durations, this.routing, PropensitySums.plus(this.propensitySums, added));
	}

	public DurationHistogram durations(Outcome outcome) {
		return this.durations.getOrDefault(outcome, DurationHistogram.EMPTY);
	}

	public CasteStats withSpawn() {
		return new CasteStats(this.spawns + 1, this.completed, this.failed, this.blocked, this.tokens, this.tools,
				this.clockSkew, this.durations, this.routing, this.propensitySums);
	}

	/**
	 * Counts an outcome reached after the given time, recorded at {@code at}, in the
	 * counters and in the routing evidence.
	 * @param casteClock the caste's clock before this outcome ({@link RouteEvidence})
	 * @param taskClass the task class the spawn was routed for, or null
	 */
	public CasteStats withOutcome(Outcome outcome, Duration took, Instant at, long casteClock,
			@Nullable String taskClass) {
		CasteStats counted = withOutcome(outcome, took);
		return counted.withRouting(this.routing.withOutcome(outcome == Outcome.COMPLETED, at, casteClock, taskClass));
	}

	/**
	 * Counts an outcome reached after the given time; a negative time (a client clock
	 * behind the server's) counts as zero and as clock skew.
	 */
	public CasteStats withOutcome(Outcome outcome, Duration took) {
		Map<Outcome, DurationHistogram> durations = new EnumMap<>(Outcome.class);
		durations.putAll(this.durations);
		durations.put(outcome, durations(outcome).with(took.isNegative() ? Duration.ZERO : took));
		long skew = this.clockSkew + (took.isNegative() ? 1 : 0);
		return switch (outcome) {
			case COMPLETED -> new CasteStats(this.spawns, this.completed + 1, this.failed, this.blocked, this.tokens,
					this.tools, skew, durations, this.routing, this.propensitySums);
			case FAILED -> new CasteStats(this.spawns, this.completed, this.failed + 1, this.blocked, this.tokens,
					this.tools, skew, durations, this.routing, this.propensitySums);
			case BLOCKED -> new CasteStats(this.spawns, this.completed, this.failed, this.blocked + 1, this.tokens,
					this.tools, skew, durations, this.routing, this.propensitySums);
		};
	}

	public CasteStats withUsage(long tokens, ToolUsage tools) {
		return new CasteStats(this.spawns, this.completed, this.failed, this.blocked,
				Math.addExact(this.tokens, tokens), this.tools.plus(tools), this.clockSkew, this.durations,
				this.routing, this.propensitySums);
	}

	/**
	 * Both counters added.
	 * @throws ArithmeticException if a sum overflows
	 */
	public CasteStats plus(CasteStats other) {
		Map<Outcome, DurationHistogram> durations = new EnumMap<>(Outcome.class);
		for (Outcome outcome : Outcome.values()) {
			DurationHistogram sum = durations(outcome).plus(other.durations(outcome));
			if (sum.total() > 0) {
				durations.put(outcome, sum);
			}
		}
		return new CasteStats(Math.addExact(this.spawns, other.spawns), Math.addExact(this.completed, other.completed),
				Math.addExact(this.failed, other.failed), Math.addExact(this.blocked, other.blocked),
				Math.addExact(this.tokens, other.tokens), this.tools.plus(other.tools),
				Math.addExact(this.clockSkew, other.clockSkew), durations, this.routing.plus(other.routing),
				PropensitySums.plus(this.propensitySums, other.propensitySums));
	}

}

package dev.spawntelemetry.spawn;

import java.time.Duration;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.SpawnChange;

import org.springframework.stereotype.Component;

/**
 * Counters and histograms of durable writes, for Prometheus and the like. Tags are only
 * model, caste and outcome, whose numbers {@code telemetry.limits} bound; the routing
 * source is free text without a limit, so it is no tag (it is counted in
 * {@code /stats/routing}). Retries count once, as they do in the statistics.
 */
@Component
public class SpawnMetrics {

	private static final Duration[] DURATION_BUCKETS = { Duration.ofSeconds(1), Duration.ofSeconds(5),
			Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
			Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
			Duration.ofHours(2), Duration.ofHours(6) };

	private static final Log logger = LogFactory.getLog(SpawnMetrics.class);

	/**
	 * Far beyond the last bucket, and far below where a timer's nanoseconds overflow
	 * (about 292 years).
	 */
	private static final Duration LONGEST_RECORDED = Duration.ofDays(365L * 100);

	private final Meter.MeterProvider<Counter> spawns;

	private final Meter.MeterProvider<Counter> outcomes;

	private final Meter.MeterProvider<Counter> tokens;

	private final Meter.MeterProvider<Timer> durations;

	SpawnMetrics(MeterRegistry registry) {
		this.spawns = Counter.builder("spawn.telemetry.spawns").description("Spawns recorded").withRegistry(registry);
		this.outcomes = Counter.builder("spawn.telemetry.outcomes")
			.description("Outcomes recorded")
			.withRegistry(registry);
		this.tokens = Counter.builder("spawn.telemetry.tokens")
			.description("Tokens reported for spawns")
			.withRegistry(registry);
		this.durations = Timer.builder("spawn.telemetry.spawn.duration")
			.description("From a spawn's timestamp to its outcome")
			.serviceLevelObjectives(DURATION_BUCKETS)
			.withRegistry(registry);
	}

	/**
	 * Counts a durable spawn. Called after the commit: a failure here is logged and never
	 * turns the answer into an error.
	 */
	SpawnChange spawnRecorded(SpawnChange change) {
		return afterCommit(change, this::countSpawn);
	}

	SpawnChange outcomeRecorded(SpawnChange change) {
		return afterCommit(change, (recorded) -> {
			countOutcome(recorded);
			countUsage(recorded);
		});
	}

	/**
	 * Counts a spawn reported once it had ended (an OpenTelemetry agent span), as its
	 * spawn, its outcome and its usage.
	 */
	public SpawnChange endedSpawnRecorded(SpawnChange change) {
		return afterCommit(change, (recorded) -> {
			countSpawn(recorded);
			countOutcome(recorded);
			countUsage(recorded);
		});
	}

	SpawnChange usageRecorded(SpawnChange change) {
		return afterCommit(change, this::countUsage);
	}

	private static SpawnChange afterCommit(SpawnChange change, Consumer<SpawnChange> meter) {
		try {
			meter.accept(change);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not update the metrics of a durable write to spawn " + change.spawn().spawnId(), ex);
		}
		return change;
	}

	private void countSpawn(SpawnChange change) {
		if (change.changed()) {
			SpawnRecord spawn = change.spawn();
			this.spawns.withTags("model", spawn.selectedModel(), "caste", spawn.caste()).increment();
		}
	}

	private void countOutcome(SpawnChange change) {
		SpawnRecord spawn = change.spawn();
		if (change.changed() && spawn.outcome() != null && spawn.completedAt() != null) {
			String outcome = spawn.outcome().wireName();
			this.outcomes.withTags("model", spawn.selectedModel(), "caste", spawn.caste(), "outcome", outcome)
				.increment();
			Duration took = Duration.between(spawn.timestamp(), spawn.completedAt());
			this.durations.withTags("model", spawn.selectedModel(), "caste", spawn.caste(), "outcome", outcome)
				.record(took.isNegative() ? Duration.ZERO : min(took, LONGEST_RECORDED));
		}
	}

	private void countUsage(SpawnChange change) {
		if (change.tokensAdded() > 0) {
			this.tokens.withTags("model", change.spawn().selectedModel(), "caste", change.spawn().caste())
				.increment(change.tokensAdded());
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}

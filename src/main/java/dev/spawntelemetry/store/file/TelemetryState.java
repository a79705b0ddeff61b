package dev.spawntelemetry.store.file;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.LimitExceededException;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnChange;
import dev.spawntelemetry.telemetry.SpawnConflictException;
import dev.spawntelemetry.telemetry.SpawnNotFoundException;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetryLimits;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.Usage;

/**
 * The mutable working state. Only the writer thread ever holds one; everybody else sees
 * the {@link TelemetrySnapshot}s it publishes. Each operation either refuses before
 * changing anything or changes the decision log and the aggregates together, and answers
 * what it changed.
 */
final class TelemetryState {

	private final int maxDecisions;

	private final TelemetryLimits limits;

	private final Clock clock;

	private final Map<String, ModelStats> models;

	/** Insertion-ordered, so the first entry is the oldest and rotates out first. */
	private final LinkedHashMap<String, SpawnRecord> decisions;

	private @Nullable Instant lastUpdated;

	private boolean changed;

	TelemetryState(TelemetrySnapshot snapshot, int maxDecisions, TelemetryLimits limits, Clock clock) {
		this.maxDecisions = maxDecisions;
		this.limits = limits;
		this.clock = clock;
		this.models = new HashMap<>(snapshot.models());
		this.decisions = new LinkedHashMap<>();
		snapshot.decisions().forEach((decision) -> this.decisions.put(decision.spawnId(), decision));
		this.lastUpdated = snapshot.lastUpdated();
		rotate();
	}

	/**
	 * Appends a new spawn to the log, rotating out the oldest decision beyond
	 * {@code max-decisions}, and counts it for its model and caste; or recognizes a
	 * faithful retry of a spawn still in the log, and changes nothing.
	 */
	SpawnChange recordSpawn(NewSpawn spawn) {
		SpawnRecord existing = (spawn.spawnId() != null) ? this.decisions.get(spawn.spawnId()) : null;
		if (existing != null) {
			List<String> differences = spawn.differencesFrom(existing);
			if (!differences.isEmpty()) {
				throw SpawnConflictException.differentSpawn(existing.spawnId(), differences);
			}
			return SpawnChange.unchanged(existing);
		}
		SpawnRecord recorded = spawn.toRecord(this.clock);
		ModelStats model = this.models.get(recorded.selectedModel());
		this.limits.check(recorded.selectedModel(), model != null, this.models.size(), recorded.caste(),
				model != null && model.byCaste().containsKey(recorded.caste()),
				(model != null) ? model.byCaste().size() : 0);
		this.decisions.put(recorded.spawnId(), recorded);
		this.models.put(recorded.selectedModel(),
				((model != null) ? model : ModelStats.NONE).withSpawn(recorded.caste()));
		rotate();
		touch();
		return SpawnChange.created(recorded);
	}

	/**
	 * Sets a spawn's outcome once, adds its final usage and counts both, with the time it
	 * took, for its model and caste. The same outcome again changes nothing.
	 */
	SpawnChange recordOutcome(String spawnId, Outcome outcome, Usage usage) {
		SpawnRecord current = find(spawnId);
		if (current.outcome() == outcome) {
			return SpawnChange.unchanged(current);
		}
		if (current.outcome() != null) {
			throw SpawnConflictException.alreadyEnded(spawnId, current.outcome());
		}
		Instant now = now();
		SpawnRecord ended = spawnWithUsage(current, usage).withOutcome(outcome, now);
		ModelStats model = modelWithUsage(current, usage);
		store(ended, (model != null)
				? model.withOutcome(current.caste(), outcome, Duration.between(current.timestamp(), now)) : null);
		return new SpawnChange(ended, true, usage.tokens());
	}

	/**
	 * Adds usage to a spawn and to its model's and caste's lifetime usage, once per
	 * idempotency key.
	 */
	SpawnChange addUsage(String spawnId, Usage usage, @Nullable String idempotencyKey) {
		SpawnRecord current = find(spawnId);
		if (idempotencyKey != null && current.hasUsageKey(idempotencyKey)) {
			return SpawnChange.unchanged(current);
		}
		SpawnRecord updated = spawnWithUsage(current, usage);
		if (idempotencyKey != null) {
			updated = updated.withUsageKey(idempotencyKey);
		}
		store(updated, modelWithUsage(current, usage));
		return new SpawnChange(updated, true, usage.tokens());
	}

	/** The current time of this state's clock, to the millisecond as in the file. */
	Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	boolean hasChanges() {
		return this.changed;
	}

	TelemetrySnapshot toSnapshot(long version) {
		this.changed = false;
		return new TelemetrySnapshot(version, this.lastUpdated, this.models, this.decisions.values());
	}

	private SpawnRecord find(String spawnId) {
		SpawnRecord spawn = this.decisions.get(spawnId);
		if (spawn == null) {
			throw new SpawnNotFoundException(spawnId);
		}
		return spawn;
	}

	/**
	 * Replaces a spawn and its model's aggregates; a file of the ancestor's may hold
	 * decisions on models it has no aggregates for, which stay without.
	 */
	private void store(SpawnRecord spawn, @Nullable ModelStats model) {
		this.decisions.put(spawn.spawnId(), spawn);
		if (model != null) {
			this.models.put(spawn.selectedModel(), model);
		}
		touch();
	}

	private static SpawnRecord spawnWithUsage(SpawnRecord spawn, Usage usage) {
		try {
			return spawn.withUsageAdded(usage.tokens(), usage.tools());
		}
		catch (ArithmeticException ex) {
			throw LimitExceededException.usageOverflow(spawn.spawnId());
		}
	}

	/** The spawn's model's aggregates with the usage added, or none if it has none. */
	private @Nullable ModelStats modelWithUsage(SpawnRecord spawn, Usage usage) {
		ModelStats model = this.models.get(spawn.selectedModel());
		if (model == null || usage.equals(Usage.NONE)) {
			return model;
		}
		try {
			return model.withUsage(spawn.caste(), usage.tokens(), usage.tools());
		}
		catch (ArithmeticException ex) {
			throw LimitExceededException.usageOverflow(spawn.spawnId());
		}
	}

	private void rotate() {
		Iterator<SpawnRecord> oldestFirst = this.decisions.values().iterator();
		for (int excess = this.decisions.size() - this.maxDecisions; excess > 0; excess--) {
			oldestFirst.next();
			oldestFirst.remove();
		}
	}

	private void touch() {
		this.lastUpdated = now();
		this.changed = true;
	}

}

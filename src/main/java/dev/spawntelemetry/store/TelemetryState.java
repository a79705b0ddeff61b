package dev.spawntelemetry.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The mutable working state. Only the writer thread ever holds one; everybody else sees
 * the {@link TelemetrySnapshot}s it publishes. Every change keeps the aggregates and the
 * decision log consistent with each other.
 */
public final class TelemetryState {

	private final int maxDecisions;

	private final Clock clock;

	private final Map<String, ModelStats> models;

	/** Insertion-ordered, so the first entry is the oldest and rotates out first. */
	private final LinkedHashMap<String, SpawnRecord> decisions;

	private @Nullable Instant lastUpdated;

	private boolean changed;

	TelemetryState(TelemetrySnapshot snapshot, int maxDecisions, Clock clock) {
		this.maxDecisions = maxDecisions;
		this.clock = clock;
		this.models = new HashMap<>(snapshot.models());
		this.decisions = new LinkedHashMap<>();
		snapshot.decisions().forEach((decision) -> this.decisions.put(decision.spawnId(), decision));
		this.lastUpdated = snapshot.lastUpdated();
		rotate();
	}

	public Optional<SpawnRecord> find(String spawnId) {
		return Optional.ofNullable(this.decisions.get(spawnId));
	}

	public boolean knowsModel(String model) {
		return this.models.containsKey(model);
	}

	public int modelCount() {
		return this.models.size();
	}

	public boolean knowsCaste(String model, String caste) {
		ModelStats stats = this.models.get(model);
		return stats != null && stats.byCaste().containsKey(caste);
	}

	public int casteCount(String model) {
		ModelStats stats = this.models.get(model);
		return (stats != null) ? stats.byCaste().size() : 0;
	}

	/**
	 * Appends a new spawn to the log, rotating out the oldest decision beyond
	 * {@code max-decisions}, and counts it for its model and caste.
	 */
	public void add(SpawnRecord spawn) {
		if (this.decisions.containsKey(spawn.spawnId())) {
			throw new IllegalStateException("Spawn " + spawn.spawnId() + " is already recorded");
		}
		this.decisions.put(spawn.spawnId(), spawn);
		this.models.merge(spawn.selectedModel(), ModelStats.NONE.withSpawn(spawn.caste()),
				(stats, ignored) -> stats.withSpawn(spawn.caste()));
		rotate();
		touch();
	}

	/**
	 * Replaces a recorded spawn with a newer version of itself. An outcome it gains is
	 * counted; an outcome is never changed or taken back.
	 */
	public void update(SpawnRecord spawn) {
		SpawnRecord current = this.decisions.get(spawn.spawnId());
		if (current == null) {
			throw new IllegalStateException("Spawn " + spawn.spawnId() + " is not in the log");
		}
		if (current.outcome() != null && current.outcome() != spawn.outcome()) {
			throw new IllegalStateException("Spawn " + spawn.spawnId() + " already ended " + current.outcome());
		}
		this.decisions.put(spawn.spawnId(), spawn);
		if (current.outcome() == null && spawn.outcome() != null) {
			countOutcome(spawn);
		}
		touch();
	}

	/** The current time of this state's clock, to the millisecond as in the file. */
	public Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	boolean hasChanges() {
		return this.changed;
	}

	TelemetrySnapshot toSnapshot(long version) {
		this.changed = false;
		return new TelemetrySnapshot(version, this.lastUpdated, this.models, this.decisions.values());
	}

	private void countOutcome(SpawnRecord spawn) {
		this.models.computeIfPresent(spawn.selectedModel(),
				(model, stats) -> stats.withOutcome(spawn.caste(), spawn.outcome()));
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

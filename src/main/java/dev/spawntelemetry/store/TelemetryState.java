package dev.spawntelemetry.store;

import java.time.Clock;
import java.time.Duration;
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
	 * counted with its duration, usage it gains is added to its model and caste; an
	 * outcome is never changed or taken back, usage never shrinks.
	 */
	public void update(SpawnRecord spawn) {
		SpawnRecord current = this.decisions.get(spawn.spawnId());
		if (current == null) {
			throw new IllegalStateException("Spawn " + spawn.spawnId() + " is not in the log");
		}
		if (current.outcome() != null && current.outcome() != spawn.outcome()) {
			throw new IllegalStateException("Spawn " + spawn.spawnId() + " already ended " + current.outcome());
		}
		ToolUsage addedTools = new ToolUsage(spawn.tools().read() - current.tools().read(),
				spawn.tools().grep() - current.tools().grep(), spawn.tools().edit() - current.tools().edit(),
				spawn.tools().bash() - current.tools().bash());
		long addedTokens = spawn.tokens() - current.tokens();
		if (addedTokens < 0 || addedTools.read() < 0 || addedTools.grep() < 0 || addedTools.edit() < 0
				|| addedTools.bash() < 0) {
			throw new IllegalStateException("Usage of spawn " + spawn.spawnId() + " would shrink");
		}
		this.decisions.put(spawn.spawnId(), spawn);
		String model = spawn.selectedModel();
		if (addedTokens > 0 || !addedTools.equals(ToolUsage.NONE)) {
			this.models.computeIfPresent(model,
					(name, stats) -> stats.withUsage(spawn.caste(), addedTokens, addedTools));
		}
		if (current.outcome() == null && spawn.outcome() != null) {
			Instant endedAt = (spawn.completedAt() != null) ? spawn.completedAt() : now();
			Duration took = Duration.between(spawn.timestamp(), endedAt);
			this.models.computeIfPresent(model,
					(name, stats) -> stats.withOutcome(spawn.caste(), spawn.outcome(), took));
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

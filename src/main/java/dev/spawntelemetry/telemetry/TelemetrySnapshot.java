package dev.spawntelemetry.telemetry;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * An immutable view of the whole telemetry state as of one committed batch. Every read is
 * served from one of these; none ever touches the file.
 */
public final class TelemetrySnapshot {

	private static final TelemetrySnapshot EMPTY = new TelemetrySnapshot(0, null, Map.of(), List.of());

	private final long version;

	private final @Nullable Instant lastUpdated;

	private final Map<String, ModelStats> models;

	private final List<SpawnRecord> decisions;

	private final Map<String, SpawnRecord> decisionsById;

	private final long totalSpawns;

	/**
	 * Creates a snapshot.
	 * @param version greater for every later state
	 * @param lastUpdated when the state last changed, or {@code null} if it never did
	 * @param models the lifetime aggregates per model
	 * @param decisions the decision log, oldest first
	 */
	public TelemetrySnapshot(long version, @Nullable Instant lastUpdated, Map<String, ModelStats> models,
			Collection<SpawnRecord> decisions) {
		this.version = version;
		this.lastUpdated = lastUpdated;
		this.models = Collections.unmodifiableMap(new TreeMap<>(models));
		this.decisions = List.copyOf(decisions);
		Map<String, SpawnRecord> byId = new HashMap<>(decisions.size() * 2);
		for (SpawnRecord decision : decisions) {
			byId.put(decision.spawnId(), decision);
		}
		this.decisionsById = Collections.unmodifiableMap(byId);
		this.totalSpawns = models.values().stream().mapToLong(ModelStats::totalSpawns).sum();
	}

	/** This state under another version. */
	public TelemetrySnapshot withVersion(long version) {
		return new TelemetrySnapshot(version, this.lastUpdated, this.models, this.decisions);
	}

	public static TelemetrySnapshot empty() {
		return EMPTY;
	}

	/**
	 * Orders states: a later state has a greater version, and the same version is the
	 * same state; the ETag of every view is made of it.
	 */
	public long version() {
		return this.version;
	}

	/** When the state last changed, or {@code null} if it never did. */
	public @Nullable Instant lastUpdated() {
		return this.lastUpdated;
	}

	/** The lifetime aggregates per model, sorted by model name. */
	public Map<String, ModelStats> models() {
		return this.models;
	}

	/** The decision log, oldest first, at most {@code max-decisions} long. */
	public List<SpawnRecord> decisions() {
		return this.decisions;
	}

	public Optional<SpawnRecord> find(String spawnId) {
		return Optional.ofNullable(this.decisionsById.get(spawnId));
	}

	/** The lifetime number of spawns over all models. */
	public long totalSpawns() {
		return this.totalSpawns;
	}

}

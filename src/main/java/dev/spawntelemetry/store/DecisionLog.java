package dev.spawntelemetry.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.SpawnRecord;

/**
 * The decision log: the last {@code max-decisions} spawns in the order they were created.
 * The one place that decides which spawns leave it, for a batch being written and for a
 * journal being replayed alike: a spawn appended beyond the maximum pushes the oldest
 * out.
 */
public final class DecisionLog {

	private final int maxDecisions;

	/** Insertion-ordered: the first entry is the oldest and leaves first. */
	private final LinkedHashMap<String, SpawnRecord> spawns = new LinkedHashMap<>();

	/**
	 * A log of these spawns, oldest first; those beyond the maximum are in {@link #trim}.
	 */
	public DecisionLog(int maxDecisions, Collection<SpawnRecord> spawns) {
		this.maxDecisions = maxDecisions;
		spawns.forEach((spawn) -> this.spawns.put(spawn.spawnId(), spawn));
	}

	public @Nullable SpawnRecord get(String spawnId) {
		return this.spawns.get(spawnId);
	}

	/** Replaces a spawn where it is in the log; {@code false} if it is not in the log. */
	public boolean replace(SpawnRecord spawn) {
		return this.spawns.replace(spawn.spawnId(), spawn) != null;
	}

	/**
	 * Appends a new spawn.
	 * @return the spawns it pushed out of the log, oldest first
	 */
	public List<SpawnRecord> append(SpawnRecord spawn) {
		this.spawns.put(spawn.spawnId(), spawn);
		return trim();
	}

	/** Takes the oldest spawns out beyond the maximum, and answers them, oldest first. */
	public List<SpawnRecord> trim() {
		List<SpawnRecord> left = new ArrayList<>();
		Iterator<SpawnRecord> oldestFirst = this.spawns.values().iterator();
		for (int excess = this.spawns.size() - this.maxDecisions; excess > 0; excess--) {
			left.add(oldestFirst.next());
			oldestFirst.remove();
		}
		return left;
	}

	/** The spawns in the log, oldest first. */
	public Collection<SpawnRecord> spawns() {
		return this.spawns.values();
	}

}

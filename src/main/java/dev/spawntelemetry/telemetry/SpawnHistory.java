package dev.spawntelemetry.telemetry;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The spawns recorded since some moment, as far back as the backend keeps them.
 *
 * @param spawns the spawns whose timestamp is at or after the moment, oldest first
 * @param earliest the earliest timestamp of any spawn the backend still keeps, or
 * {@code null} if it keeps none: a window that starts before it is cut short
 */
public record SpawnHistory(List<SpawnRecord> spawns, @Nullable Instant earliest) {

	public SpawnHistory {
		spawns = List.copyOf(spawns);
	}

}

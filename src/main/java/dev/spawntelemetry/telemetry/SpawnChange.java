package dev.spawntelemetry.telemetry;

/**
 * What a write left recorded, and what it changed: a retry changes nothing.
 *
 * @param spawn the spawn as recorded after the write
 * @param changed whether this write created or changed it
 * @param tokensAdded tokens this write added to the spawn
 */
public record SpawnChange(SpawnRecord spawn, boolean changed, long tokensAdded) {

	public static SpawnChange created(SpawnRecord spawn) {
		return new SpawnChange(spawn, true, 0);
	}

	public static SpawnChange unchanged(SpawnRecord spawn) {
		return new SpawnChange(spawn, false, 0);
	}

}

package dev.spawntelemetry.spawn;

import dev.spawntelemetry.store.SpawnRecord;

/**
 * What a write left recorded, and whether it changed anything: a retry changes nothing.
 *
 * @param spawn the spawn as recorded after the write
 * @param changed whether this write created or changed it
 * @param tokensAdded tokens this write added to the spawn
 */
record SpawnChange(SpawnRecord spawn, boolean changed, long tokensAdded) {

	static SpawnChange unchanged(SpawnRecord spawn) {
		return new SpawnChange(spawn, false, 0);
	}

}

package dev.spawntelemetry.spawn;

import dev.spawntelemetry.store.CommandRejectedException;

/**
 * A write that contradicts what is recorded: a spawn id reused for a different spawn, or
 * an outcome different from the one already recorded.
 */
public class SpawnConflictException extends CommandRejectedException {

	SpawnConflictException(String message) {
		super(message);
	}

}

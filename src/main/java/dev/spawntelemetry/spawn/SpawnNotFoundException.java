package dev.spawntelemetry.spawn;

import dev.spawntelemetry.store.CommandRejectedException;

/**
 * No spawn with that id is in the decision log: it was never recorded, or it has rotated
 * out.
 */
public class SpawnNotFoundException extends CommandRejectedException {

	SpawnNotFoundException(String spawnId) {
		super("No spawn '" + spawnId + "' is in the decision log: it was never recorded, or it is among the oldest "
				+ "decisions that rotated out of the log");
	}

}

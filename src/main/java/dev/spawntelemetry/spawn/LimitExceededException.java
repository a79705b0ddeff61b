package dev.spawntelemetry.spawn;

import dev.spawntelemetry.store.CommandRejectedException;

/**
 * A write that would grow the state past a configured bound.
 */
public class LimitExceededException extends CommandRejectedException {

	LimitExceededException(String message) {
		super(message);
	}

}

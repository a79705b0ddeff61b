package dev.spawntelemetry.store;

/**
 * A write refused by its own rules (unknown spawn, conflicting retry, a limit) before it
 * changed anything. The other writes of its batch are unaffected.
 */
public abstract class CommandRejectedException extends RuntimeException {

	protected CommandRejectedException(String message) {
		super(message);
	}

}

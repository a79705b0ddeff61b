package dev.spawntelemetry.store;

import java.util.concurrent.atomic.AtomicReference;

import dev.spawntelemetry.telemetry.TelemetrySnapshot;

/**
 * The newest committed state this process knows of: what every read answers from,
 * replaced only by a newer version, whether this process committed it or another one on
 * the same storage did.
 */
final class PublishedSnapshot {

	private final AtomicReference<TelemetrySnapshot> current;

	PublishedSnapshot(TelemetrySnapshot loaded) {
		this.current = new AtomicReference<>(loaded);
	}

	TelemetrySnapshot get() {
		return this.current.get();
	}

	/** Publishes a state unless a newer one is already published. */
	void offer(TelemetrySnapshot snapshot) {
		this.current.accumulateAndGet(snapshot,
				(current, offered) -> (offered.version() > current.version()) ? offered : current);
	}

}

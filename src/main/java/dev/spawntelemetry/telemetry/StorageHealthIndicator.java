package dev.spawntelemetry.telemetry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code storage} health component: DOWN while the backend cannot make writes
 * durable, whichever backend runs.
 */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

	private final TelemetryStorage storage;

	StorageHealthIndicator(TelemetryStorage storage) {
		this.storage = storage;
	}

	@Override
	public Health health() {
		StorageHealth health = this.storage.health();
		TelemetrySnapshot current = this.storage.current();
		return (health.up() ? Health.up() : Health.down()).withDetails(health.details())
			.withDetail("decisions", current.decisions().size())
			.withDetail("totalSpawns", current.totalSpawns())
			.build();
	}

}

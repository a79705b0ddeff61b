package dev.spawntelemetry.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN while writes cannot be made durable: the data directory is not writable, or the
 * last persist failed. Shows any telemetry file that was moved aside as unreadable.
 */
class StorageHealthIndicator implements HealthIndicator {

	private final JsonFileTelemetryStore store;

	private final TelemetryWriter writer;

	StorageHealthIndicator(JsonFileTelemetryStore store, TelemetryWriter writer) {
		this.store = store;
		this.writer = writer;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up();
		TelemetryWriter.PersistFailure failure = this.writer.lastPersistFailure();
		if (failure != null) {
			health = Health.down().withDetail("error", failure.message()).withDetail("failedAt", failure.at());
		}
		else if (!Files.isWritable(this.store.directory())) {
			health = Health.down().withDetail("error", "data directory is not writable");
		}
		TelemetrySnapshot snapshot = this.writer.snapshot();
		health.withDetail("file", this.store.file().toString())
			.withDetail("decisions", snapshot.decisions().size())
			.withDetail("totalSpawns", snapshot.totalSpawns());
		List<Path> quarantined = this.store.quarantined();
		if (!quarantined.isEmpty()) {
			health.withDetail("quarantined", quarantined.stream().map(Path::toString).toList());
		}
		return health.build();
	}

}

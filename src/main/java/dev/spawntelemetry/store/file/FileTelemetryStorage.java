package dev.spawntelemetry.store.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.SingleWriterStorage;
import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.SpawnWindow;
import dev.spawntelemetry.telemetry.StorageHealth;

/**
 * The port over the single writer and its JSON file: every write goes through the
 * writer's queue, every read is its last published snapshot.
 */
final class FileTelemetryStorage extends SingleWriterStorage {

	private final JsonFileTelemetryStore store;

	FileTelemetryStorage(TelemetryWriter writer, JsonFileTelemetryStore store) {
		super(writer);
		this.store = store;
	}

	/** The file keeps the decision log only: at most {@code max-decisions} spawns. */
	@Override
	public SpawnWindow window(Instant since, @Nullable String caste) {
		List<SpawnRecord> decisions = current().decisions();
		return SpawnWindow.of(decisions.stream()
			.filter((spawn) -> !spawn.timestamp().isBefore(since))
			.filter((spawn) -> caste == null || caste.equals(spawn.caste()))
			.toList(), decisions.stream().map(SpawnRecord::timestamp).min(Instant::compareTo).orElse(null));
	}

	/**
	 * DOWN while writes cannot be made durable: the last persist failed, or the data
	 * directory is not writable. Lists any file moved aside as unreadable.
	 */
	@Override
	protected StorageHealth backendHealth() {
		Map<String, Object> details = new LinkedHashMap<>();
		boolean up = true;
		TelemetryWriter.PersistFailure failure = writer().lastPersistFailure();
		if (failure != null) {
			up = false;
			details.put("error", failure.message());
			details.put("failedAt", failure.at());
		}
		else if (!Files.isWritable(this.store.directory())) {
			up = false;
			details.put("error", "data directory is not writable");
		}
		details.put("file", this.store.file().toString());
		String recovery = this.store.recoveryNote();
		if (recovery != null) {
			details.put("recovery", recovery);
		}
		List<Path> quarantined = this.store.quarantined();
		if (!quarantined.isEmpty()) {
			details.put("quarantined", quarantined.stream().map(Path::toString).toList());
		}
		return new StorageHealth(up, details);
	}

}

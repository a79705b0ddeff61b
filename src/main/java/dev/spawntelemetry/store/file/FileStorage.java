package dev.spawntelemetry.store.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.spawntelemetry.store.SingleWriterStorage;
import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.telemetry.BucketQuery;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.StorageHealth;
import dev.spawntelemetry.telemetry.TimeBucket;

/**
 * The port over the single writer and its JSON file: every write goes through the
 * writer's queue, every read is its last published snapshot.
 */
final class FileStorage extends SingleWriterStorage {

	private final JsonFileStore store;

	private final HistoryProperties history;

	private final Clock clock;

	FileStorage(TelemetryWriter writer, JsonFileStore store, HistoryProperties history, Clock clock) {
		super(writer);
		this.store = store;
		this.history = history;
		this.clock = clock;
	}

	/** From the buckets of the last durable state, in memory. */
	@Override
	public List<TimeBucket> buckets(BucketQuery query) {
		return this.store.buckets().read(query.keptBy(this.history, this.clock.instant()));
	}

	/**
	 * DOWN while writes cannot be made durable: the last persist failed, a checkpoint the
	 * start owes failed, or the data directory is not writable. Names the last failed
	 * checkpoint, what recovery found ({@code recovery.tornTail}, {@code corruptJournal},
	 * {@code foreignJournal}, {@code corruptCheckpoint}, {@code corruptRetained}), and
	 * any file moved aside as unreadable.
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
		else if (this.store.checkpointOwed()) {
			up = false;
			details.put("error", "the state recovered at start is not durable yet: " + this.store.checkpointFailure());
		}
		else if (!Files.isWritable(this.store.directory())) {
			up = false;
			details.put("error", "data directory is not writable");
		}
		details.put("file", this.store.file().toString());
		String checkpoint = this.store.checkpointFailure();
		if (checkpoint != null) {
			details.put("checkpointFailed", checkpoint);
		}
		Map<String, String> recovery = this.store.recoveryFindings();
		if (!recovery.isEmpty()) {
			details.put("recovery", recovery);
		}
		List<Path> quarantined = this.store.quarantined();
		if (!quarantined.isEmpty()) {
			details.put("quarantined", quarantined.stream().map(Path::toString).toList());
		}
		return new StorageHealth(up, details);
	}

}

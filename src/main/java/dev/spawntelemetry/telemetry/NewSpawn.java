package dev.spawntelemetry.telemetry;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A spawn as a client reports it; what it leaves out takes the ancestor's defaults.
 *
 * @param spawnId the client's id, which makes retries safe; {@code null} for a new
 * time-ordered UUID
 * @param timestamp when it was spawned; {@code null} for now, and then a retry need not
 * repeat it
 */
public record NewSpawn(@Nullable String spawnId, @Nullable Instant timestamp, @Nullable String task,
		@Nullable String caste, @Nullable String model, @Nullable String source) {

	/** The record to store, with an id, a timestamp and every default filled in. */
	public SpawnRecord toRecord(Clock clock) {
		return new SpawnRecord((this.spawnId != null) ? this.spawnId : SpawnIds.next(),
				(this.timestamp != null) ? this.timestamp : clock.instant().truncatedTo(ChronoUnit.MILLIS),
				orDefault(this.task, "unknown"), orDefault(this.caste, "unknown"), orDefault(this.model, "default"),
				orDefault(this.source, "caste-default"), null, null, 0, ToolUsage.NONE);
	}

	/**
	 * What a recorded spawn of the same id has otherwise than this one; empty for a
	 * faithful retry. A timestamp the server chose need not be repeated.
	 */
	public List<String> differencesFrom(SpawnRecord recorded) {
		List<String> differences = new ArrayList<>();
		if (!recorded.task().equals(orDefault(this.task, "unknown"))) {
			differences.add("task");
		}
		if (!recorded.caste().equals(orDefault(this.caste, "unknown"))) {
			differences.add("caste");
		}
		if (!recorded.selectedModel().equals(orDefault(this.model, "default"))) {
			differences.add("model");
		}
		if (!recorded.source().equals(orDefault(this.source, "caste-default"))) {
			differences.add("source");
		}
		if (this.timestamp != null && !this.timestamp.equals(recorded.timestamp())) {
			differences.add("timestamp");
		}
		return differences;
	}

	private static String orDefault(@Nullable String value, String absent) {
		return (value != null) ? value : absent;
	}

}

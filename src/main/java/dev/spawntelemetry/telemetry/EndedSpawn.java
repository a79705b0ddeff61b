package dev.spawntelemetry.telemetry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.problem.Refusal;

/**
 * A spawn reported once it has ended, such as an OpenTelemetry agent span: recorded with
 * its outcome and usage in one write, or not at all.
 *
 * @param spawn the spawn, with its id and timestamp given, so that a retry is recognized
 * @param completedAt when it ended, not before the spawn's timestamp
 * @param servedModel the model that served it, where that was another than its model;
 * else null
 * @param outcomeReason why it ended as it did, as its reporter says; or null
 */
public record EndedSpawn(NewSpawn spawn, Outcome outcome, Instant completedAt, Usage usage,
		@Nullable String servedModel, @Nullable String outcomeReason) {

	public EndedSpawn {
		Objects.requireNonNull(spawn.spawnId(), "an ended spawn is reported with its id");
		Objects.requireNonNull(spawn.timestamp(), "an ended spawn is reported with its timestamp");
		if (spawn.route() != null) {
			throw new IllegalArgumentException("an ended spawn was routed by its reporter, not by the service");
		}
		if (completedAt.isBefore(spawn.timestamp())) {
			throw new IllegalArgumentException("an ended spawn cannot end before it started");
		}
	}

	/**
	 * What a recorded spawn of the same id has otherwise than this one; empty for a
	 * faithful retry.
	 */
	public List<String> differencesFrom(SpawnRecord recorded) {
		List<String> differences = this.spawn.differencesFrom(recorded);
		if (recorded.outcome() != this.outcome) {
			differences.add("outcome");
		}
		else if (!this.completedAt.equals(recorded.completedAt())) {
			differences.add("end time");
		}
		if (recorded.tokens() != this.usage.tokens() || !recorded.tools().equals(this.usage.tools())) {
			differences.add("usage");
		}
		if (!Objects.equals(recorded.servedModel(), this.servedModel)) {
			differences.add("served model");
		}
		if (!Objects.equals(recorded.outcomeReason(), this.outcomeReason)) {
			differences.add("outcome reason");
		}
		return differences;
	}

	/**
	 * What became of one ended spawn of a write: recorded (or recognized as a retry), or
	 * refused on its own while the others were recorded.
	 */
	public record Recorded(@Nullable SpawnChange change, @Nullable Refusal refusal) {

	}

}

package dev.spawntelemetry.telemetry;

import java.time.Instant;
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
	 * What became of one ended spawn of a write: recorded (or recognized as a retry), or
	 * refused on its own while the others were recorded.
	 */
	public record Recorded(@Nullable SpawnChange change, @Nullable Refusal refusal) {

	}

}

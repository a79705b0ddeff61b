package dev.spawntelemetry.telemetry;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.problem.ProblemType;
import dev.spawntelemetry.problem.Refusal;

/**
 * A write that contradicts what is recorded: a spawn id reused for a different spawn, or
 * a second, different outcome.
 */
public class SpawnConflictException extends Refusal {

	SpawnConflictException(String detail) {
		super(ProblemType.CONFLICT, detail);
	}

	/** The spawn is recorded with other values than this retry of it. */
	public static SpawnConflictException differentSpawn(String spawnId, java.util.List<String> differences) {
		return new SpawnConflictException(
				"Spawn '" + spawnId + "' is already recorded with a different " + String.join(", ", differences)
						+ "; a retry must repeat the original spawn exactly, a new spawn needs a new spawn_id");
	}

	/** A retry of the outcome says the spawn ended at another time than recorded. */
	public static SpawnConflictException endedAtAnotherTime(String spawnId, @Nullable Instant recorded) {
		return new SpawnConflictException("Spawn '" + spawnId + "' is already recorded as ended at " + recorded
				+ "; a retry must repeat the original completed_at, or leave it out");
	}

	/** The outcome says the spawn ended before it started. */
	public static SpawnConflictException endedBeforeItStarted(String spawnId, Instant completedAt, Instant timestamp) {
		return new SpawnConflictException("completed_at " + completedAt + " is before spawn '" + spawnId
				+ "' started (its timestamp is " + timestamp + "); send the time it ended, or leave completed_at out");
	}

	/** The spawn already ended otherwise. */
	public static SpawnConflictException alreadyEnded(String spawnId, Outcome outcome) {
		return new SpawnConflictException("Spawn '" + spawnId + "' already ended '" + outcome.wireName()
				+ "'; an outcome, once recorded, is never changed");
	}

}

package dev.spawntelemetry.telemetry;

import dev.spawntelemetry.problem.ProblemType;

import org.springframework.http.HttpStatus;

/**
 * A write that contradicts what is recorded: a spawn id reused for a different spawn, or
 * a second, different outcome.
 */
public class SpawnConflictException extends TelemetryRefusal {

	SpawnConflictException(String detail) {
		super(HttpStatus.CONFLICT, ProblemType.CONFLICT, detail);
	}

	/** The spawn is recorded with other values than this retry of it. */
	public static SpawnConflictException differentSpawn(String spawnId, java.util.List<String> differences) {
		return new SpawnConflictException(
				"Spawn '" + spawnId + "' is already recorded with a different " + String.join(", ", differences)
						+ "; a retry must repeat the original spawn exactly, a new spawn needs a new spawn_id");
	}

	/** The spawn already ended otherwise. */
	public static SpawnConflictException alreadyEnded(String spawnId, Outcome outcome) {
		return new SpawnConflictException("Spawn '" + spawnId + "' already ended '" + outcome.wireName()
				+ "'; an outcome, once recorded, is never changed");
	}

}

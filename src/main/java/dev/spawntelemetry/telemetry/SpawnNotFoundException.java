package dev.spawntelemetry.telemetry;

import dev.spawntelemetry.problem.ProblemType;
import dev.spawntelemetry.problem.Refusal;

/**
 * No spawn with that id is known: it was never recorded, or it has left the backend's
 * memory of spawns (the decision log, or the retention).
 */
public class SpawnNotFoundException extends Refusal {

	public SpawnNotFoundException(String spawnId) {
		super(ProblemType.NOT_FOUND, "No spawn '" + spawnId
				+ "' is recorded: it was never recorded, or it is among the oldest decisions that rotated out of the log");
	}

}

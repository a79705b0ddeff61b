package dev.spawntelemetry.stats;

import dev.spawntelemetry.problem.Refusal;
import dev.spawntelemetry.problem.ProblemType;

/**
 * No spawn was ever recorded for that model.
 */
class ModelNotFoundException extends Refusal {

	ModelNotFoundException(String model) {
		super(ProblemType.NOT_FOUND, "No spawn was ever recorded for model '" + model + "'");
	}

}

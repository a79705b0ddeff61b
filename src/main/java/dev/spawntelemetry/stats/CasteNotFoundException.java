package dev.spawntelemetry.stats;

import dev.spawntelemetry.problem.Refusal;
import dev.spawntelemetry.problem.ProblemType;

/**
 * No spawn of that caste was ever recorded, on any model.
 */
class CasteNotFoundException extends Refusal {

	CasteNotFoundException(String caste) {
		super(ProblemType.NOT_FOUND, "No spawn of caste '" + caste + "' was ever recorded");
	}

}

package dev.spawntelemetry.telemetry;

import dev.spawntelemetry.problem.Refusal;
import dev.spawntelemetry.problem.ProblemType;

/**
 * No spawn of that caste was ever recorded, on any model.
 */
public class CasteNotFoundException extends Refusal {

	public CasteNotFoundException(String caste) {
		super(ProblemType.NOT_FOUND, "No spawn of caste '" + caste + "' was ever recorded");
	}

}

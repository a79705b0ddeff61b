package dev.spawntelemetry.stats;

import dev.spawntelemetry.telemetry.TelemetryRefusal;
import dev.spawntelemetry.problem.ProblemType;

import org.springframework.http.HttpStatus;

/**
 * No spawn of that caste was ever recorded, on any model.
 */
class CasteNotFoundException extends TelemetryRefusal {

	CasteNotFoundException(String caste) {
		super(HttpStatus.NOT_FOUND, ProblemType.NOT_FOUND, "No spawn of caste '" + caste + "' was ever recorded");
	}

}

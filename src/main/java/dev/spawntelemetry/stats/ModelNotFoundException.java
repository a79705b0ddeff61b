package dev.spawntelemetry.stats;

import dev.spawntelemetry.telemetry.TelemetryRefusal;
import dev.spawntelemetry.problem.ProblemType;

import org.springframework.http.HttpStatus;

/**
 * No spawn was ever recorded for that model.
 */
class ModelNotFoundException extends TelemetryRefusal {

	ModelNotFoundException(String model) {
		super(HttpStatus.NOT_FOUND, ProblemType.NOT_FOUND, "No spawn was ever recorded for model '" + model + "'");
	}

}

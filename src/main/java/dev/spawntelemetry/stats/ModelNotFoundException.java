package dev.spawntelemetry.stats;

/**
 * No spawn was ever recorded for that model.
 */
public class ModelNotFoundException extends RuntimeException {

	ModelNotFoundException(String model) {
		super("No spawn was ever recorded for model '" + model + "'");
	}

}

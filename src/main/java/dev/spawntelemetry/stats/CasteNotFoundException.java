package dev.spawntelemetry.stats;

/**
 * No spawn of that caste was ever recorded, on any model.
 */
public class CasteNotFoundException extends RuntimeException {

	CasteNotFoundException(String caste) {
		super("No spawn of caste '" + caste + "' was ever recorded");
	}

}

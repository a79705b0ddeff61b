package dev.spawntelemetry.telemetry;

import dev.spawntelemetry.problem.ProblemType;
import dev.spawntelemetry.problem.Refusal;

/**
 * A write that would grow the state past a configured bound, or a count past what it can
 * hold.
 */
public class LimitExceededException extends Refusal {

	LimitExceededException(String detail) {
		super(ProblemType.LIMIT_EXCEEDED, detail);
	}

	public static LimitExceededException tooManyModels(String model, int known, int max) {
		return new LimitExceededException(
				"Model '" + model + "' would be model number " + (known + 1) + ", past the limit of " + max
						+ " distinct models (telemetry.limits.max-models); spawns on known models are still recorded");
	}

	public static LimitExceededException tooManyCastes(String model, String caste, int known, int max) {
		return new LimitExceededException("Caste '" + caste + "' would be caste number " + (known + 1) + " of model '"
				+ model + "', past the limit of " + max
				+ " castes per model (telemetry.limits.max-castes-per-model); known castes are still recorded");
	}

	public static LimitExceededException usageOverflow(String spawnId) {
		return new LimitExceededException(
				"Spawn '" + spawnId + "' cannot count more usage: a total would exceed " + Long.MAX_VALUE);
	}

}

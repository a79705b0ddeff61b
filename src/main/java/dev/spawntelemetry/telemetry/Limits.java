package dev.spawntelemetry.telemetry;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on what clients can make the state grow by; aggregates live forever, so each new
 * model or caste costs memory and storage for good. Every backend enforces them.
 *
 * @param maxModels distinct models that may be recorded
 * @param maxCastesPerModel distinct castes that may be recorded for one model
 */
@Validated
@ConfigurationProperties("telemetry.limits")
public record Limits(@DefaultValue("1000") @Min(1) int maxModels, @DefaultValue("200") @Min(1) int maxCastesPerModel) {

	/**
	 * Refuses a spawn on a model or caste not yet known past the bounds.
	 * @param knownModels distinct models recorded so far
	 * @param castesOfModel distinct castes recorded so far for the spawn's model
	 * @throws LimitExceededException if the spawn would pass a bound
	 */
	public void check(String model, boolean modelKnown, int knownModels, String caste, boolean casteKnown,
			int castesOfModel) {
		if (!modelKnown && knownModels >= this.maxModels) {
			throw LimitExceededException.tooManyModels(model, knownModels, this.maxModels);
		}
		if (!casteKnown && castesOfModel >= this.maxCastesPerModel) {
			throw LimitExceededException.tooManyCastes(model, caste, castesOfModel, this.maxCastesPerModel);
		}
	}

}

package dev.spawntelemetry.spawn;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on what clients can make the state grow by; aggregates live forever, so each new
 * model or caste costs memory and file size for good.
 *
 * @param maxModels distinct models that may be recorded
 * @param maxCastesPerModel distinct castes that may be recorded for one model
 */
@Validated
@ConfigurationProperties("telemetry.limits")
record SpawnLimitsProperties(@DefaultValue("1000") @Min(1) int maxModels,
		@DefaultValue("200") @Min(1) int maxCastesPerModel) {

}

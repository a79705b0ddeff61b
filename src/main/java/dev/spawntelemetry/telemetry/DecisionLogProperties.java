package dev.spawntelemetry.telemetry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The decision log's one rule, whichever backend keeps it.
 *
 * @param maxDecisions how many decisions the log shows before the oldest rotate out; the
 * aggregates are never rotated
 */
@Validated
@ConfigurationProperties("telemetry.storage")
public record DecisionLogProperties(@DefaultValue("1000") @Min(1) @Max(1_000_000) int maxDecisions) {

}

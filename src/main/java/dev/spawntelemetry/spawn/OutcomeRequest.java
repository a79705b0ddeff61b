package dev.spawntelemetry.spawn;

import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.Outcome;

/**
 * The body of {@code PUT /spawns/{id}/outcome}: how the spawn ended, and optionally its
 * final usage.
 */
record OutcomeRequest(
		@NotNull(message = "is required: one of completed, failed, blocked") @Pattern(regexp = Outcome.PATTERN,
				message = "must be one of completed, failed, blocked") String outcome,
		@Nullable @PositiveOrZero @Max(UsageRequest.MAX_TOKENS) Long tokens,
		@Nullable Map<String, @NotNull @PositiveOrZero @Max(UsageRequest.MAX_TOOL_CALLS) Long> tools) {

	Outcome parsedOutcome() {
		return Outcome.fromWireName(this.outcome).orElseThrow();
	}

	UsageRequest usage() {
		return new UsageRequest(this.tokens, this.tools);
	}

}

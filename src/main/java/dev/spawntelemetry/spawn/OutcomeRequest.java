package dev.spawntelemetry.spawn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.web.InvalidRequestException;

/**
 * The body of {@code PUT /spawns/{id}/outcome}: how the spawn ended, optionally when, and
 * optionally its final usage.
 */
record OutcomeRequest(
		@NotNull(message = "is required: one of completed, failed, blocked") @Pattern(regexp = Outcome.PATTERN,
				message = "must be one of completed, failed, blocked") String outcome,
		@Nullable @PositiveOrZero @Max(UsageRequest.MAX_TOKENS) Long tokens,
		@Nullable Map<String, @NotNull @PositiveOrZero @Max(UsageRequest.MAX_TOOL_CALLS) Long> tools,
		@Nullable String completedAt) {

	Outcome parsedOutcome() {
		return Outcome.fromWireName(this.outcome).orElseThrow();
	}

	UsageRequest usage() {
		return new UsageRequest(this.tokens, this.tools);
	}

	/**
	 * When the spawn ended as the client says, to the millisecond; absent for "now".
	 * @throws InvalidRequestException if it is not an ISO-8601 instant or lies more than
	 * {@link #SpawnRecord.CLOCK_SKEW} ahead of the clock
	 */
	@Nullable Instant parsedCompletedAt(Clock clock) {
		if (this.completedAt == null) {
			return null;
		}
		Instant parsed;
		try {
			parsed = Instant.parse(this.completedAt).truncatedTo(ChronoUnit.MILLIS);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException("completed_at '" + SpawnRequest.quoted(this.completedAt)
					+ "' is not an ISO-8601 instant such as 2026-11-25T12:00:00Z or 2026-11-25T13:00:00.250+01:00");
		}
		Instant latest = clock.instant().plus(SpawnRecord.CLOCK_SKEW);
		if (parsed.isAfter(latest)) {
			throw new InvalidRequestException("completed_at " + parsed + " is in the future: the service's clock reads "
					+ clock.instant().truncatedTo(ChronoUnit.SECONDS) + " and allows a client's clock to run at most "
					+ SpawnRecord.CLOCK_SKEW.toMinutes() + " minutes ahead; leave completed_at out to mean now");
		}
		return parsed;
	}

}

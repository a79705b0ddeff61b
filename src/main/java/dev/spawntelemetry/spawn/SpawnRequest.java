package dev.spawntelemetry.spawn;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.web.InvalidRequestException;

/**
 * The body of {@code POST /spawns}. Absent names take the defaults the ancestor used.
 */
record SpawnRequest(@Nullable @Size(max = 4096) String task,
		@Nullable @Pattern(regexp = NAME, message = NAME_RULE) String caste,
		@Nullable @Pattern(regexp = NAME, message = NAME_RULE) String model,
		@Nullable @Pattern(regexp = NAME, message = NAME_RULE) String source, @Nullable String timestamp,
		@Nullable @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}",
				message = "must be 1 to 64 of the characters A-Z, a-z, 0-9, '.', '_', ':' and '-'") String spawnId) {

	/** 1 to 128 characters, no control characters, not only white space. */
	static final String NAME = "(?=.*\\S)\\P{Cc}{1,128}";

	static final String NAME_RULE = "must be 1 to 128 printable characters and not blank";

	String casteOrDefault() {
		return (this.caste != null) ? this.caste : "unknown";
	}

	String modelOrDefault() {
		return (this.model != null) ? this.model : "default";
	}

	String sourceOrDefault() {
		return (this.source != null) ? this.source : "caste-default";
	}

	String taskOrDefault() {
		return (this.task != null) ? this.task : "unknown";
	}

	/**
	 * The instant the client gave, if it gave one.
	 * @throws InvalidRequestException if it is not an ISO-8601 instant
	 */
	@Nullable Instant parsedTimestamp() {
		if (this.timestamp == null) {
			return null;
		}
		try {
			return Instant.parse(this.timestamp);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException("timestamp '" + this.timestamp
					+ "' is not an ISO-8601 instant such as 2026-11-25T12:00:00Z or 2026-11-25T13:00:00.250+01:00");
		}
	}

}

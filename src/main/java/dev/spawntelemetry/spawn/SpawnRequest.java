package dev.spawntelemetry.spawn;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.routing.Routes;
import dev.spawntelemetry.telemetry.ModelNames;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.web.InvalidRequestException;

/**
 * The body of {@code POST /spawns}. Absent names take the defaults the ancestor used.
 */
record SpawnRequest(@Nullable @Size(max = 4096) @Spelled(Spelling.TEXT) String task,
		@Nullable @Spelled(Spelling.NAME) String caste, @Nullable @Spelled(Spelling.MODEL) String model,
		@Nullable @Spelled(Spelling.NAME) String source, @Nullable String timestamp,
		@Nullable @Spelled(Spelling.SPAWN_ID) String spawnId, @Nullable RouteRequest route) {

	/**
	 * Timestamps whose differences to any other fit every duration computed from them.
	 */
	static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

	static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

	/**
	 * The spawn as the storage takes it.
	 * @throws InvalidRequestException if the timestamp is not one the service accepts
	 */
	NewSpawn toNewSpawn(Routes routes) {
		if (this.route == null) {
			return new NewSpawn(this.spawnId, parsedTimestamp(), this.task, this.caste, this.model, this.source);
		}
		if (this.model != null) {
			throw new InvalidRequestException(
					"give either model (the client's choice) or route (the service's), not both");
		}
		if (this.source != null) {
			throw new InvalidRequestException(
					"a routed spawn's source is '" + NewSpawn.ROUTED + "'; leave source out when giving route");
		}
		Instant timestamp = parsedTimestamp();
		NewSpawn unrouted = new NewSpawn(this.spawnId, timestamp, this.task, this.caste, null, null);
		return new NewSpawn(this.spawnId, timestamp, this.task, this.caste, null, null,
				routes.request(unrouted.casteOrDefault(), this.route.candidates(), this.route.objective(),
						this.route.taskClass(), this.task));
	}

	/**
	 * The service is to choose the model.
	 *
	 * @param candidates the models to choose among; absent for the caste's configured or
	 * seen models
	 * @param objective success (the default) or success-per-token
	 * @param taskClass the task class to route on the evidence of: default, or one of
	 * telemetry.routing.task-classes; absent to classify the task's text by their
	 * keywords
	 */
	record RouteRequest(@Nullable List<String> candidates, @Nullable String objective, @Nullable String taskClass) {

	}

	/**
	 * The instant the client gave, if it gave one.
	 * @throws InvalidRequestException if it is not an ISO-8601 instant
	 */
	@Nullable Instant parsedTimestamp() {
		if (this.timestamp == null) {
			return null;
		}
		Instant parsed;
		try {
			parsed = Instant.parse(this.timestamp);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException("timestamp '" + quoted(this.timestamp)
					+ "' is not an ISO-8601 instant such as 2026-11-25T12:00:00Z or 2026-11-25T13:00:00.250+01:00");
		}
		if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
			throw new InvalidRequestException("timestamp '" + quoted(this.timestamp)
					+ "' is outside the accepted range " + EARLIEST + " to " + LATEST);
		}
		return parsed;
	}

	/** A value as it may be echoed in an answer: short, and always writable as JSON. */
	static String quoted(String value) {
		String shown = (value.length() > 64) ? value.substring(0, 64) + "…" : value;
		return ModelNames.isText(shown) ? shown : "(not valid Unicode)";
	}

}

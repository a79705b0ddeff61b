package dev.spawntelemetry.telemetry;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A spawn as a client reports it; what it leaves out takes the ancestor's defaults.
 *
 * @param spawnId the client's id, which makes retries safe; {@code null} for a new
 * time-ordered UUID
 * @param timestamp when it was spawned; {@code null} for now, and then a retry need not
 * repeat it
 * @param route the candidates the service is to choose the model among, instead of
 * {@code model}; {@code null} when the client chose
 */
public record NewSpawn(@Nullable String spawnId, @Nullable Instant timestamp, @Nullable String task,
		@Nullable String caste, @Nullable String model, @Nullable String source, Router.@Nullable Request route) {

	/** The source of a spawn whose model the service chose. */
	public static final String ROUTED = "telemetry";

	/** What a spawn that does not say takes, as the ancestor's files did. */
	public static final String UNKNOWN_TASK = "unknown";

	public static final String UNKNOWN_CASTE = "unknown";

	public static final String DEFAULT_MODEL = "default";

	public static final String DEFAULT_SOURCE = "caste-default";

	/** A spawn whose model the client chose. */
	public NewSpawn(@Nullable String spawnId, @Nullable Instant timestamp, @Nullable String task,
			@Nullable String caste, @Nullable String model, @Nullable String source) {
		this(spawnId, timestamp, task, caste, model, source, null);
	}

	/** The record to store, with an id, a timestamp and every default filled in. */
	public SpawnRecord toRecord(Clock clock) {
		return toRecord(clock, (model) -> null);
	}

	/**
	 * The record to store, with an id, a timestamp and every default filled in, and its
	 * model chosen if it is to be routed.
	 * @param statsOf the lifetime counters of a model for this spawn's caste, or null
	 */
	public SpawnRecord toRecord(Clock clock, Function<String, @Nullable CasteStats> statsOf) {
		String spawnId = (this.spawnId != null) ? this.spawnId : SpawnIds.next();
		Instant timestamp = (this.timestamp != null) ? this.timestamp : clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String caste = casteOrDefault();
		if (this.route == null) {
			return new SpawnRecord(spawnId, timestamp, orDefault(this.task, UNKNOWN_TASK), caste,
					orDefault(this.model, DEFAULT_MODEL), orDefault(this.source, DEFAULT_SOURCE), null, null, 0,
					ToolUsage.NONE);
		}
		Router.Choice choice = this.route.router().choose(spawnId, caste, this.route.candidates(), statsOf);
		return new SpawnRecord(spawnId, timestamp, orDefault(this.task, UNKNOWN_TASK), caste, choice.model(), ROUTED,
				null, null, 0, ToolUsage.NONE, choice.route(), List.of());
	}

	/** The caste it is recorded under. */
	public String casteOrDefault() {
		return orDefault(this.caste, UNKNOWN_CASTE);
	}

	/** The models this spawn may be recorded with. */
	public List<String> models() {
		return (this.route != null) ? this.route.candidates() : List.of(orDefault(this.model, DEFAULT_MODEL));
	}

	/**
	 * What a recorded spawn of the same id has otherwise than this one; empty for a
	 * faithful retry. A timestamp the server chose need not be repeated.
	 */
	public List<String> differencesFrom(SpawnRecord recorded) {
		List<String> differences = new ArrayList<>();
		if (!recorded.task().equals(orDefault(this.task, UNKNOWN_TASK))) {
			differences.add("task");
		}
		if (!recorded.caste().equals(orDefault(this.caste, UNKNOWN_CASTE))) {
			differences.add("caste");
		}
		if (this.route != null) {
			if (recorded.route() == null) {
				differences.add("route (the spawn was recorded with a model the client chose)");
			}
			else if (this.route.named() && !recorded.route().candidates().equals(this.route.candidates())) {
				differences.add("route.candidates");
			}
		}
		else {
			if (recorded.route() != null) {
				differences.add("model (the spawn was routed by the service; retry it with its route)");
			}
			else if (!recorded.selectedModel().equals(orDefault(this.model, DEFAULT_MODEL))) {
				differences.add("model");
			}
			if (!recorded.source().equals(orDefault(this.source, DEFAULT_SOURCE))) {
				differences.add("source");
			}
		}
		if (this.timestamp != null && !this.timestamp.equals(recorded.timestamp())) {
			differences.add("timestamp");
		}
		return differences;
	}

	private static String orDefault(@Nullable String value, String absent) {
		return (value != null) ? value : absent;
	}

}

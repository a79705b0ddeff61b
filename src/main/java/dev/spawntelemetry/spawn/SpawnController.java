package dev.spawntelemetry.spawn;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.routing.Routes;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.SpawnNotFoundException;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.web.InvalidRequestException;
import dev.spawntelemetry.web.WriterAnswer;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Records spawns, outcomes and usage through the writer, and reads the decision log from
 * the current snapshot. Writes answer asynchronously, so a request waiting for the disk
 * holds no request thread.
 */
@RestController
@RequestMapping(path = "/spawns", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "spawns", description = "Record spawns, their outcomes and their usage")
class SpawnController {

	/**
	 * Any JSON media type, such as application/merge-patch+json; anything else, YAML or
	 * form data included, is a 415.
	 */
	private static final String JSON_SUFFIX = "application/*+json";

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final TelemetryStorage storage;

	private final SpawnMetrics metrics;

	private final Routes routes;

	private final Clock clock;

	SpawnController(TelemetryStorage storage, SpawnMetrics metrics, Routes routes, Clock clock) {
		this.storage = storage;
		this.metrics = metrics;
		this.routes = routes;
		this.clock = clock;
	}

	@Operation(summary = "Record a spawn",
			description = "Records a routing decision: the worker's caste, the model chosen for it and by which "
					+ "source. Absent names become task 'unknown', caste 'unknown', model 'default', source "
					+ "'caste-default'. The server makes a time-ordered UUID unless spawn_id is given. Sending the "
					+ "same spawn_id again with the same task, caste, model and source (and timestamp, if given) is "
					+ "a retry: answered 200 with the stored record and counted once. The decision log keeps the "
					+ "newest telemetry.storage.max-decisions spawns; lifetime counters are never rotated. With "
					+ "'route' instead of 'model' the service chooses the model among route.candidates (or the "
					+ "caste's configured or seen models) by its routing policy, records it with source "
					+ "'telemetry' and the route (policy, propensity, reason, candidates); a retry returns the "
					+ "recorded choice.")
	@ApiResponse(responseCode = "201", description = "Recorded and durable; Location names the spawn")
	@ApiResponse(responseCode = "200", description = "A retry of a spawn already recorded; nothing was counted")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@ApiResponse(responseCode = "409", ref = "Conflict")
	@ApiResponse(responseCode = "422", ref = "LimitExceeded")
	@PostMapping(consumes = { MediaType.APPLICATION_JSON_VALUE, JSON_SUFFIX })
	WriterAnswer<SpawnRecord> recordSpawn(@Valid @RequestBody SpawnRequest request) {
		return new WriterAnswer<>(this.storage.recordSpawn(request.toNewSpawn(this.routes))
			.thenApply(this.metrics::spawnRecorded)
			.thenApply((recorded) -> recorded.changed()
					? ResponseEntity.created(URI.create("/spawns/" + recorded.spawn().spawnId())).body(recorded.spawn())
					: ResponseEntity.ok(recorded.spawn())));
	}

	@Operation(summary = "One spawn from the decision log")
	@ApiResponse(responseCode = "200", description = "The spawn as recorded")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@GetMapping("/{spawnId}")
	SpawnRecord getSpawn(@PathVariable String spawnId) {
		return this.storage.current().find(spawnId).orElseThrow(() -> new SpawnNotFoundException(spawnId));
	}

	@Operation(summary = "Decisions still in the log, newest first",
			description = "Filters combine; outcome 'open' means no outcome yet. Only the newest "
					+ "telemetry.storage.max-decisions spawns are in the log.")
	@ApiResponse(responseCode = "200", description = "Matching decisions, newest first")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@GetMapping
	SpawnList listSpawns(@RequestParam @Nullable String caste, @RequestParam @Nullable String model,
			@RequestParam @Nullable String source,
			@RequestParam @Nullable @Pattern(regexp = Outcome.PATTERN + "|open",
					message = "must be one of completed, failed, blocked, open") String outcome,
			@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
		List<SpawnRecord> decisions = this.storage.current().decisions();
		Stream<SpawnRecord> newestFirst = Stream.iterate(decisions.size() - 1, (i) -> i >= 0, (i) -> i - 1)
			.map(decisions::get);
		return new SpawnList(newestFirst.filter((spawn) -> caste == null || caste.equals(spawn.caste()))
			.filter((spawn) -> model == null || model.equals(spawn.selectedModel()))
			.filter((spawn) -> source == null || source.equals(spawn.source()))
			.filter((spawn) -> outcome == null || outcome.equals(outcomeName(spawn)))
			.limit(limit)
			.toList());
	}

	@Operation(summary = "Record how a spawn ended",
			description = "Sets outcome and completed_at once, adds the usage given, and counts the outcome for the "
					+ "model and caste. completed_at is when the spawn ended, now if absent: not before the spawn's "
					+ "timestamp (409) and at most 5 minutes ahead of the service's clock (400), so that an outcome "
					+ "delivered late, from a spool or a backfill, keeps its true duration. The same outcome again is "
					+ "a retry: 200, counted once, usage not added again. A different outcome than the one recorded, "
					+ "or a different completed_at than the one recorded, is a 409.")
	@ApiResponse(responseCode = "200", description = "Recorded and durable, or a retry of the same outcome")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@ApiResponse(responseCode = "409", ref = "Conflict")
	@PutMapping(path = "/{spawnId}/outcome", consumes = { MediaType.APPLICATION_JSON_VALUE, JSON_SUFFIX })
	WriterAnswer<SpawnRecord> recordOutcome(@PathVariable String spawnId, @Valid @RequestBody OutcomeRequest request) {
		return new WriterAnswer<>(this.storage
			.recordOutcome(spawnId, request.parsedOutcome(), request.parsedCompletedAt(this.clock),
					request.usage().toUsage())
			.thenApply(this.metrics::outcomeRecorded)
			.thenApply((changed) -> ResponseEntity.ok(changed.spawn())));
	}

	@Operation(summary = "Add usage to a spawn",
			description = "Adds tokens and tool calls (read, grep, edit, bash; non-negative) to the spawn and to "
					+ "its model's and caste's lifetime usage. Each call adds, unless it carries an Idempotency-Key "
					+ "(the IETF draft's header; 1 to 255 visible ASCII characters, quoted or not) already used for "
					+ "this spawn: then it is a retry, answered 200 with the spawn as recorded, and adds nothing. "
					+ "The last 100 keys are kept with the spawn.")
	@ApiResponse(responseCode = "200", description = "Added and durable, or a retry of a key already used")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@ApiResponse(responseCode = "422", ref = "LimitExceeded")
	@PostMapping(path = "/{spawnId}/usage", consumes = { MediaType.APPLICATION_JSON_VALUE, JSON_SUFFIX })
	WriterAnswer<SpawnRecord> recordUsage(@PathVariable String spawnId, @Valid @RequestBody UsageRequest request,
			@RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey) {
		return new WriterAnswer<>(this.storage.addUsage(spawnId, request.toUsage(), idempotencyKey(idempotencyKey))
			.thenApply(this.metrics::usageRecorded)
			.thenApply((changed) -> ResponseEntity.ok(changed.spawn())));
	}

	/** The key as sent, without the quotes of a structured-field string. */
	private static @Nullable String idempotencyKey(@Nullable String header) {
		if (header == null) {
			return null;
		}
		String key = (header.length() >= 2 && header.startsWith("\"") && header.endsWith("\""))
				? header.substring(1, header.length() - 1) : header;
		if (!key.matches("[\\x21-\\x7E]{1,255}")) {
			throw new InvalidRequestException(
					IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters, such as a UUID");
		}
		return key;
	}

	private static String outcomeName(SpawnRecord spawn) {
		return (spawn.outcome() != null) ? spawn.outcome().wireName() : "open";
	}

	/**
	 * The answer of {@code GET /spawns}: decisions still in the log, newest first.
	 */
	record SpawnList(List<SpawnRecord> spawns) {

	}

}

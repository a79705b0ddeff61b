package dev.spawntelemetry.spawn;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.SpawnRecord;
import dev.spawntelemetry.store.TelemetryWriter;
import dev.spawntelemetry.store.ToolUsage;

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

	private final TelemetryWriter writer;

	private final SpawnLimitsProperties limits;

	private final SpawnMetrics metrics;

	private final Clock clock;

	SpawnController(TelemetryWriter writer, SpawnLimitsProperties limits, SpawnMetrics metrics, Clock clock) {
		this.writer = writer;
		this.limits = limits;
		this.metrics = metrics;
		this.clock = clock;
	}

	@Operation(summary = "Record a spawn",
			description = "Records a routing decision: the worker's caste, the model chosen for it and by which "
					+ "source. Absent names become task 'unknown', caste 'unknown', model 'default', source "
					+ "'caste-default'. The server makes a time-ordered UUID unless spawn_id is given. Sending the "
					+ "same spawn_id again with the same task, caste, model and source (and timestamp, if given) is "
					+ "a retry: answered 200 with the stored record and counted once. The decision log keeps the "
					+ "newest telemetry.storage.max-decisions spawns; lifetime counters are never rotated.")
	@ApiResponse(responseCode = "201", description = "Recorded and durable; Location names the spawn")
	@ApiResponse(responseCode = "200", description = "A retry of a spawn already recorded; nothing was counted")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@ApiResponse(responseCode = "401", ref = "Unauthorized")
	@ApiResponse(responseCode = "409", ref = "Conflict")
	@ApiResponse(responseCode = "413", ref = "PayloadTooLarge")
	@ApiResponse(responseCode = "422", ref = "LimitExceeded")
	@ApiResponse(responseCode = "503", ref = "Unavailable")
	@PostMapping(consumes = { MediaType.APPLICATION_JSON_VALUE, JSON_SUFFIX })
	CompletableFuture<ResponseEntity<SpawnRecord>> record(@Valid @RequestBody SpawnRequest request) {
		Instant clientTimestamp = request.parsedTimestamp();
		Instant timestamp = (clientTimestamp != null) ? clientTimestamp
				: this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		String spawnId = (request.spawnId() != null) ? request.spawnId() : SpawnIds.next();
		SpawnRecord spawn = new SpawnRecord(spawnId, timestamp, request.taskOrDefault(), request.casteOrDefault(),
				request.modelOrDefault(), request.sourceOrDefault(), null, null, 0, ToolUsage.NONE);
		return this.writer.submit(new RecordSpawn(spawn, clientTimestamp, this.limits))
			.thenApply(this.metrics::spawnRecorded)
			.thenApply((recorded) -> recorded.changed()
					? ResponseEntity.created(URI.create("/spawns/" + spawnId)).body(recorded.spawn())
					: ResponseEntity.ok(recorded.spawn()));
	}

	@Operation(summary = "One spawn from the decision log")
	@ApiResponse(responseCode = "200", description = "The spawn as recorded")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@GetMapping("/{spawnId}")
	SpawnRecord find(@PathVariable String spawnId) {
		return this.writer.snapshot().find(spawnId).orElseThrow(() -> new SpawnNotFoundException(spawnId));
	}

	@Operation(summary = "Decisions still in the log, newest first",
			description = "Filters combine; outcome 'open' means no outcome yet. Only the newest "
					+ "telemetry.storage.max-decisions spawns are in the log.")
	@ApiResponse(responseCode = "200", description = "Matching decisions, newest first")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@GetMapping
	SpawnList list(@RequestParam @Nullable String caste, @RequestParam @Nullable String model,
			@RequestParam @Nullable String source,
			@RequestParam @Nullable @Pattern(regexp = "completed|failed|blocked|open",
					message = "must be one of completed, failed, blocked, open") String outcome,
			@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
		List<SpawnRecord> decisions = this.writer.snapshot().decisions();
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
					+ "model and caste. The same outcome again is a retry: 200, counted once, usage not added again. "
					+ "A different outcome than the one recorded is a 409.")
	@ApiResponse(responseCode = "200", description = "Recorded and durable, or a retry of the same outcome")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@ApiResponse(responseCode = "401", ref = "Unauthorized")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@ApiResponse(responseCode = "409", ref = "Conflict")
	@ApiResponse(responseCode = "413", ref = "PayloadTooLarge")
	@ApiResponse(responseCode = "503", ref = "Unavailable")
	@PutMapping(path = "/{spawnId}/outcome", consumes = { MediaType.APPLICATION_JSON_VALUE, JSON_SUFFIX })
	CompletableFuture<SpawnRecord> recordOutcome(@PathVariable String spawnId,
			@Valid @RequestBody OutcomeRequest request) {
		UsageRequest usage = request.usage();
		return this.writer
			.submit(new RecordOutcome(spawnId, request.parsedOutcome(), usage.tokenCount(), usage.toolUsage()))
			.thenApply(this.metrics::outcomeRecorded)
			.thenApply(SpawnChange::spawn);
	}

	@Operation(summary = "Add usage to a spawn",
			description = "Adds tokens and tool calls (read, grep, edit, bash; non-negative) to the spawn and to "
					+ "its model's and caste's lifetime usage. Not idempotent: each call adds.")
	@ApiResponse(responseCode = "200", description = "Added and durable")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@ApiResponse(responseCode = "401", ref = "Unauthorized")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@ApiResponse(responseCode = "413", ref = "PayloadTooLarge")
	@ApiResponse(responseCode = "422", ref = "LimitExceeded")
	@ApiResponse(responseCode = "503", ref = "Unavailable")
	@PostMapping(path = "/{spawnId}/usage", consumes = { MediaType.APPLICATION_JSON_VALUE, JSON_SUFFIX })
	CompletableFuture<SpawnRecord> recordUsage(@PathVariable String spawnId, @Valid @RequestBody UsageRequest request) {
		return this.writer.submit(new RecordUsage(spawnId, request.tokenCount(), request.toolUsage()))
			.thenApply(this.metrics::usageRecorded)
			.thenApply(SpawnChange::spawn);
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

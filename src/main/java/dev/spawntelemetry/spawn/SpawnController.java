package dev.spawntelemetry.spawn;

import java.net.URI;
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
@RequestMapping("/spawns")
class SpawnController {

	private final TelemetryWriter writer;

	private final SpawnLimitsProperties limits;

	SpawnController(TelemetryWriter writer, SpawnLimitsProperties limits) {
		this.writer = writer;
		this.limits = limits;
	}

	@PostMapping
	CompletableFuture<ResponseEntity<SpawnRecord>> record(@Valid @RequestBody SpawnRequest request) {
		Instant clientTimestamp = request.parsedTimestamp();
		Instant timestamp = (clientTimestamp != null) ? clientTimestamp : Instant.now().truncatedTo(ChronoUnit.MILLIS);
		String spawnId = (request.spawnId() != null) ? request.spawnId() : SpawnIds.next();
		SpawnRecord spawn = new SpawnRecord(spawnId, timestamp, request.taskOrDefault(), request.casteOrDefault(),
				request.modelOrDefault(), request.sourceOrDefault(), null, null, 0, ToolUsage.NONE);
		return this.writer.submit(new RecordSpawn(spawn, clientTimestamp, this.limits))
			.thenApply((recorded) -> recorded.created()
					? ResponseEntity.created(URI.create("/spawns/" + spawnId)).body(recorded.spawn())
					: ResponseEntity.ok(recorded.spawn()));
	}

	@GetMapping("/{spawnId}")
	SpawnRecord find(@PathVariable String spawnId) {
		return this.writer.snapshot().find(spawnId).orElseThrow(() -> new SpawnNotFoundException(spawnId));
	}

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

	@PutMapping("/{spawnId}/outcome")
	CompletableFuture<SpawnRecord> recordOutcome(@PathVariable String spawnId,
			@Valid @RequestBody OutcomeRequest request) {
		UsageRequest usage = request.usage();
		return this.writer
			.submit(new RecordOutcome(spawnId, request.parsedOutcome(), usage.tokenCount(), usage.toolUsage()));
	}

	@PostMapping("/{spawnId}/usage")
	CompletableFuture<SpawnRecord> recordUsage(@PathVariable String spawnId, @Valid @RequestBody UsageRequest request) {
		return this.writer.submit(new RecordUsage(spawnId, request.tokenCount(), request.toolUsage()));
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

package dev.spawntelemetry.stats;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.web.ConditionalReads;
import dev.spawntelemetry.web.InvalidRequestException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * Statistics for dashboards. Every answer carries the snapshot's version as its ETag, and
 * a poll that sends it back in {@code If-None-Match} is answered 304 until a write
 * changes the state.
 */
@RestController
@RequestMapping(path = "/stats", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "stats", description = "Statistics for dashboards; every answer carries an ETag and answers 304 to a "
		+ "matching If-None-Match until a write changes the state")
class StatsController {

	private final StatsViews views;

	StatsController(StatsViews views) {
		this.views = views;
	}

	@Operation(summary = "Totals, per model and per model × caste, and the newest 10 decisions",
			description = "success_rate = successful_completions / total_spawns, open spawns included, rounded "
					+ "half-up to 2 decimals (1 completed, 1 failed, 1 open = 0.33). recent_decisions are the newest "
					+ "10, oldest first.")
	@ApiResponse(responseCode = "200", description = "The summary")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
	@GetMapping
	@Nullable ResponseEntity<StatsSummary> getSummary(WebRequest request) {
		return answer(request, StatsViews.Computed::summary);
	}

	@Operation(summary = "One model's lifetime counters, usage and durations",
			description = "Model names may contain '/': /stats/models/openrouter/anthropic/claude-sonnet-4.5")
	@ApiResponse(responseCode = "200", description = "The model")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@GetMapping("/models/{*model}")
	@Nullable ResponseEntity<ModelDetail> getModel(@PathVariable String model, WebRequest request) {
		String name = model.startsWith("/") ? model.substring(1) : model;
		return answer(request, (views) -> views.model(name).orElseThrow(() -> new ModelNotFoundException(name)));
	}

	@Operation(summary = "How spawns were routed",
			description = "Counts by source and by model over the decisions still in the log, optionally of one "
					+ "caste; with 'days' (a positive integer, at most the days of history kept), over every spawn "
					+ "in the whole time buckets of the last 'days' days instead (hours up to the hourly history, "
					+ "days beyond), which 'window' states.")
	@ApiResponse(responseCode = "200", description = "The routing counts; date_range is null when none matched")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match (no days)")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@GetMapping("/routing")
	@Nullable ResponseEntity<RoutingStats> getRouting(@RequestParam @Nullable @Min(1) Integer days,
			@RequestParam @Nullable String caste, WebRequest request) {
		if (days != null) {
			// a window of days moves with the clock, not only with the state: no ETag
			return ResponseEntity.ok(this.views.routing(this.views.current(), days, caste));
		}
		return answer(request, (computed) -> this.views.routing(computed, null, caste));
	}

	@Operation(summary = "Models by success rate",
			description = "Exact rates compared; ties go to more spawns, then to the name. For routing, prefer "
					+ "/recommendations, which accounts for how much evidence each rate rests on.")
	@ApiResponse(responseCode = "200", description = "The ranking")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
	@GetMapping("/ranking")
	@Nullable ResponseEntity<Ranking> getRanking(WebRequest request) {
		return answer(request, StatsViews.Computed::ranking);
	}

	@Operation(summary = "Every model used for a caste",
			description = "resolved_success_rate = completed / (completed + failed + blocked), with its 95% Wilson "
					+ "score interval (null when nothing is resolved); open = spawns with no outcome yet; durations "
					+ "p50/p90/p99 per outcome from log-spaced histograms; tokens_per_completed_spawn = tokens / "
					+ "completed.")
	@ApiResponse(responseCode = "200", description = "The caste, most used model first")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@GetMapping("/castes/{caste}")
	@Nullable ResponseEntity<CasteView> getCaste(@PathVariable String caste, WebRequest request) {
		return answer(request, (computed) -> CasteView.of(caste, this.views.lifetime(computed.snapshot(), caste)));
	}

	@Operation(summary = "A series per time bucket",
			description = "One point per bucket (bucket=hour or day, default day) from 'from' to 'to' (ISO-8601 "
					+ "instants, widened to whole buckets; by default the 30 buckets ending with the current one), "
					+ "empty buckets included, of every spawn or only of one model, caste and routing source. "
					+ "Spawns count in the bucket of their own timestamp, with their outcome and usage however late "
					+ "these come. 'total' sums the points and equals /stats/routing and /recommendations over the "
					+ "same buckets. With 'source' the points hold counts and tokens, no durations.")
	@ApiResponse(responseCode = "200", description = "The series")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@GetMapping("/trends")
	@Nullable ResponseEntity<Trend> getTrends(@RequestParam @Nullable String model, @RequestParam @Nullable String caste,
			@RequestParam @Nullable String source, @RequestParam(defaultValue = "day") String bucket,
			@RequestParam @Nullable String from, @RequestParam @Nullable String to, WebRequest request) {
		BucketSize size = BucketSize.fromWireName(bucket)
			.orElseThrow(() -> new InvalidRequestException("bucket must be hour or day; was '" + bucket + "'"));
		Interval interval = this.views.interval(size, instant("from", from), instant("to", to));
		StatsViews.Computed computed = this.views.current();
		// the same state over the same buckets is the same answer
		String etag = "\"" + computed.snapshot().version() + "-" + size.wireName() + "-"
				+ interval.from().getEpochSecond() + "-" + interval.to().getEpochSecond() + "\"";
		return ConditionalReads.answer(request, etag,
				() -> Trend.of(interval, model, caste, source, this.views.buckets(interval, model, caste, source)));
	}

	private static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException(name + " '" + value
					+ "' is not an ISO-8601 instant such as 2026-11-25T12:00:00Z or 2026-11-25T13:00:00+01:00");
		}
	}

	/** Answers 304 when the client already has this snapshot's view. */
	private <T> @Nullable ResponseEntity<T> answer(WebRequest request, Function<StatsViews.Computed, T> view) {
		StatsViews.Computed computed = this.views.current();
		String etag = "\"" + computed.snapshot().version() + "\"";
		return ConditionalReads.answer(request, etag, () -> view.apply(computed));
	}

}

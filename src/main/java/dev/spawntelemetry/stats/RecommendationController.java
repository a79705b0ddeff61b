package dev.spawntelemetry.stats;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import java.util.Map;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which model to route a caste to, with the uncertainty stated.
 */
@RestController
@Tag(name = "recommendations", description = "Routing advice with the uncertainty stated")
class RecommendationController {

	private final StatsViews views;

	RecommendationController(StatsViews views) {
		this.views = views;
	}

	@Operation(summary = "Which model to route a caste to",
			description = "Models for the caste ranked by the lower bound of the 95% Wilson score interval "
					+ "(z = 1.959964) of their resolved success rate; models with fewer than min_resolved resolved "
					+ "spawns come after the others with insufficient_data = true. recommended is the best model "
					+ "with enough data, or null with a reason; confidence says whether its interval lies wholly "
					+ "above the runner-up's. Without days, lifetime aggregates; with days (at most the days of "
					+ "history kept), every spawn in the whole time buckets of the last days days, which 'window' "
					+ "states: hours up to the hourly history, days beyond.")
	@ApiResponse(responseCode = "200", description = "The recommendation; deterministic for the same state")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@GetMapping(path = "/recommendations", produces = MediaType.APPLICATION_JSON_VALUE)
	Recommendation getRecommendation(@RequestParam String caste,
			@RequestParam(name = "min_resolved", defaultValue = "10") @Min(1) @Max(1_000_000) int minResolved,
			@RequestParam @Nullable @Min(1) @Max(36_500) Integer days) {
		TelemetrySnapshot snapshot = this.views.current().snapshot();
		// a caste never recorded is a 404, with or without a window
		Map<String, CasteStats> lifetime = this.views.lifetime(snapshot, caste);
		if (days == null) {
			return Recommendation.of(caste, minResolved, null, lifetime);
		}
		StatsViews.Evidence evidence = this.views.lastDays(caste, days);
		return Recommendation.of(caste, minResolved, evidence.window(), evidence.byModel());
	}

}

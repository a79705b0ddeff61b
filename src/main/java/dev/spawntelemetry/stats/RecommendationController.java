package dev.spawntelemetry.stats;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

import java.util.Map;

import dev.spawntelemetry.store.CasteStats;
import dev.spawntelemetry.store.TelemetrySnapshot;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which model to route a caste to, with the uncertainty stated.
 */
@RestController
class RecommendationController {

	private final StatsViews views;

	RecommendationController(StatsViews views) {
		this.views = views;
	}

	@GetMapping("/recommendations")
	Recommendation recommend(@RequestParam String caste,
			@RequestParam(name = "min_resolved", defaultValue = "10") @Min(1) @Max(1_000_000) int minResolved,
			@RequestParam @Nullable @Positive @Max(36_500) Integer days) {
		TelemetrySnapshot snapshot = this.views.current().snapshot();
		// a caste never recorded is a 404, with or without a window
		Map<String, CasteStats> lifetime = this.views.lifetime(snapshot, caste);
		if (days == null) {
			return Recommendation.of(caste, minResolved, null, lifetime);
		}
		Recommendation.Window window = this.views.window(snapshot, days);
		return Recommendation.of(caste, minResolved, window, this.views.window(snapshot, caste, window));
	}

}

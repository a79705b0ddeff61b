package dev.spawntelemetry.stats;

import java.util.UUID;
import java.util.function.Function;

import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

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
@RequestMapping("/stats")
class StatsController {

	/** Distinguishes this process's snapshot versions from those of an earlier run. */
	private final String etagPrefix = UUID.randomUUID().toString().substring(0, 8) + "-";

	private final StatsViews views;

	StatsController(StatsViews views) {
		this.views = views;
	}

	@GetMapping
	@Nullable ResponseEntity<StatsSummary> summary(WebRequest request) {
		return answer(request, StatsViews.Computed::summary);
	}

	@GetMapping("/models/{*model}")
	@Nullable ResponseEntity<ModelDetail> model(@PathVariable String model, WebRequest request) {
		String name = model.startsWith("/") ? model.substring(1) : model;
		return answer(request, (views) -> views.model(name).orElseThrow(() -> new ModelNotFoundException(name)));
	}

	@GetMapping("/routing")
	@Nullable ResponseEntity<RoutingStats> routing(@RequestParam @Nullable @Positive Integer days,
			@RequestParam @Nullable String caste, WebRequest request) {
		if (days != null) {
			// a window of days moves with the clock, not only with the state: no ETag
			return ResponseEntity.ok(this.views.routing(this.views.current(), days, caste));
		}
		return answer(request, (computed) -> this.views.routing(computed, null, caste));
	}

	@GetMapping("/ranking")
	@Nullable ResponseEntity<Ranking> ranking(WebRequest request) {
		return answer(request, StatsViews.Computed::ranking);
	}

	@GetMapping("/castes/{caste}")
	@Nullable ResponseEntity<CasteView> caste(@PathVariable String caste, WebRequest request) {
		return answer(request, (computed) -> CasteView.of(caste, this.views.lifetime(computed.snapshot(), caste)));
	}

	/** Answers 304 when the client already has this snapshot's view. */
	private <T> @Nullable ResponseEntity<T> answer(WebRequest request, Function<StatsViews.Computed, T> view) {
		StatsViews.Computed computed = this.views.current();
		String etag = "\"" + this.etagPrefix + computed.snapshot().version() + "\"";
		if (request.checkNotModified(etag)) {
			return null;
		}
		return ResponseEntity.ok().eTag(etag).body(view.apply(computed));
	}

}

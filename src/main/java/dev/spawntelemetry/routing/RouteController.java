package dev.spawntelemetry.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.spawntelemetry.web.ConditionalReads;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * What the routing policy would do, and the changes its detector found.
 */
@RestController
@Tag(name = "routes", description = "The service's choice of model, asked without recording a spawn")
class RouteController {

	private final Routes routes;

	private final Clock clock;

	RouteController(Routes routes, Clock clock) {
		this.routes = routes;
		this.clock = clock;
	}

	@Operation(summary = "What the policy would choose for a caste now",
			description = "Thompson sampling on Beta(1 + completed, 1 + failed + blocked) posteriors of each "
					+ "candidate's discounted evidence for the caste, every candidate kept at or above "
					+ "telemetry.routing.exploration-floor. probability is the chance the policy chooses each "
					+ "candidate now (what POST /spawns with a route would record as its propensity); model is one "
					+ "choice drawn by them, the same for the same state. Candidates, comma-separated, default to "
					+ "telemetry.routing.candidates.<caste>, else to the models seen for the caste. "
					+ "objective=success-per-token divides each rate by the candidate's tokens per resolved spawn.")
	@ApiResponse(responseCode = "200", description = "The probabilities and the evidence; ETag'd by the state")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@GetMapping(path = "/routes/{caste}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Nullable ResponseEntity<RouteAnswer> getRoute(@PathVariable String caste, @RequestParam @Nullable String candidates,
			@RequestParam @Nullable String objective, @RequestParam("task_class") @Nullable String taskClass,
			@RequestParam @Nullable String task, WebRequest request) {
		List<String> named = (candidates != null) ? Arrays.asList(candidates.split(",", -1)) : null;
		RouteAnswer answer = this.routes.answer(caste, named, objective, taskClass, task);
		// the probabilities depend on the state alone, and the sample on the state
		// and the question
		String etag = "\"" + answer.version() + "-"
				+ Integer.toHexString((caste + "\n" + answer.objective().wireName() + "\n" + answer.taskClass() + "\n"
						+ String.join(",",
								answer.candidates().stream().map(RouteAnswer.CandidateAnswer::model).toList()))
					.hashCode())
				+ "\"";
		return ConditionalReads.answer(request, etag, () -> answer);
	}

	@Operation(summary = "What routing gained: the logged policy beside the alternatives",
			description = "Off-policy evaluation of the caste's routed spawns that ended within the last 'days' whole "
					+ "UTC days (default 7, today the last), from the exact propensities recorded with them and the "
					+ "sums kept in the daily buckets: the logged policy's observed resolved success rate, and for "
					+ "'always <model>' (each model seen or configured), 'uniform' over each spawn's candidates and "
					+ "the caste's configured 'default' (telemetry.routing.default.<caste>), the inverse propensity "
					+ "(IPS) and self-normalized (SNIPS) estimates with 95% intervals and the effective sample size. "
					+ "Below min_effective_sample_size a policy says 'not enough exploration to tell' instead. "
					+ "Spawns whose model the client chose are counted apart in chosen_by_client, never reweighted. "
					+ "task_class evaluates one class; without it, all of the caste's. docs/api.md states the "
					+ "formulas.")
	@ApiResponse(responseCode = "200", description = "The estimates; ETag'd by the state")
	@ApiResponse(responseCode = "404", ref = "NotFound")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@GetMapping(path = "/routes/{caste}/evaluation", produces = MediaType.APPLICATION_JSON_VALUE)
	@Nullable ResponseEntity<Evaluation> getEvaluation(@PathVariable String caste,
			@RequestParam(defaultValue = "7") @Min(1) @Max(36_500) int days,
			@RequestParam("task_class") @Nullable String taskClass, WebRequest request) {
		Evaluation evaluation = this.routes.evaluation(caste, days, taskClass);
		String etag = "\"" + evaluation.version() + "-" + evaluation.from().getEpochSecond() + "-"
				+ Integer.toHexString((caste + "\n" + days + "\n" + taskClass).hashCode()) + "\"";
		return ConditionalReads.answer(request, etag, () -> evaluation);
	}

	@Operation(summary = "Changes of a success rate the detector found",
			description = "Per caste × model, the last change its two-sided Bernoulli CUSUM found within the last "
					+ "'days' days (default 7): when, the rate before and after, and on how much evidence. When it "
					+ "fires, the routing evidence of that caste × model starts again from the outcomes since the "
					+ "estimated change.")
	@ApiResponse(responseCode = "200", description = "The alerts, newest first")
	@ApiResponse(responseCode = "400", ref = "BadRequest")
	@GetMapping(path = "/stats/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
	Alerts getAlerts(@RequestParam(defaultValue = "7") @Min(1) @Max(36_500) int days) {
		return new Alerts(days, this.routes.alerts(this.clock.instant().minus(Duration.ofDays(days))));
	}

	/** The answer of {@code GET /stats/alerts}. */
	record Alerts(int days, List<DriftAlert> alerts) {

	}

}

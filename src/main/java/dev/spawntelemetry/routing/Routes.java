package dev.spawntelemetry.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.BucketQuery;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.CasteNotFoundException;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.ModelNames;
import dev.spawntelemetry.telemetry.ModelStats;
import dev.spawntelemetry.telemetry.PropensitySums;
import dev.spawntelemetry.telemetry.RouteEvidence;
import dev.spawntelemetry.telemetry.Router;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.web.InvalidRequestException;

import org.springframework.stereotype.Component;

/**
 * Where the candidates of a route come from, and what the policy says about them: the
 * request's, else the configured ones of the caste, else every model that had an outcome
 * of the caste within the daily history (or has spawns of it and no outcome yet).
 */
@Component
public class Routes {

	/** More candidates than any colony routes among, and a bound on a request's cost. */
	static final int MAX_CANDIDATES = 32;

	private final TelemetryStorage storage;

	private final RoutePolicy policy;

	private final HistoryProperties history;

	private final Clock clock;

	private final TaskClasses taskClasses;

	Routes(TelemetryStorage storage, RoutePolicy policy, HistoryProperties history, Clock clock) {
		this.storage = storage;
		this.policy = policy;
		this.history = history;
		this.clock = clock;
		this.taskClasses = new TaskClasses(policy.properties().taskClasses());
	}

	/**
	 * A spawn of the caste to be routed by the writer.
	 * @param candidates the request's candidates, or null for the caste's
	 * @param objective the request's objective, or null for the configured one
	 * @param taskClass the request's task class, or null to classify the task
	 * @param task the task's text
	 * @throws InvalidRequestException if the candidates, the objective or the task class
	 * are not valid
	 */
	public Router.Request request(String caste, @Nullable List<String> candidates, @Nullable String objective,
			@Nullable String taskClass, @Nullable String task) {
		List<String> resolved = candidates(caste, candidates, this.storage.current());
		Objective chosen = objective(objective);
		String resolvedClass = this.taskClasses.of(taskClass, task);
		return new Router.Request(resolved, candidates != null, (spawnId, spawnCaste, names, statsOf) -> this.policy
			.choose(spawnId, this.policy.odds(names, statsOf, chosen, resolvedClass)));
	}

	/** What the policy would do now for the caste and a task class (or a task's). */
	RouteAnswer answer(String caste, @Nullable List<String> candidates, @Nullable String objective,
			@Nullable String taskClass, @Nullable String task) {
		TelemetrySnapshot snapshot = this.storage.current();
		List<String> resolved = candidates(caste, candidates, snapshot);
		RoutePolicy.Odds odds = this.policy.odds(resolved, statsOf(snapshot, caste), objective(objective),
				this.taskClasses.of(taskClass, task));
		String key = "route:" + snapshot.version() + ":" + caste + ":" + String.join(",", resolved) + ":"
				+ odds.objective().wireName() + ":" + odds.taskClass();
		int sampled = odds.draw(RoutePolicy.uniform(this.policy.properties().seed(), key));
		return RouteAnswer.of(caste, snapshot.version(), odds, sampled, this.policy::interval);
	}

	/**
	 * What routing gained for a caste over the last whole UTC days, today the last, read
	 * from the daily buckets.
	 * @param taskClass one task class, or null for all
	 * @throws InvalidRequestException if the class is not configured or the daily history
	 * does not reach back that far
	 * @throws CasteNotFoundException if no spawn of the caste was ever recorded
	 */
	Evaluation evaluation(String caste, int days, @Nullable String taskClass) {
		if (taskClass != null) {
			this.taskClasses.of(taskClass, null);
		}
		long kept = this.history.daily().toDays();
		if (days > kept) {
			throw new InvalidRequestException("days must be at most " + kept
					+ ", the days of history kept (telemetry.history.daily); was " + days);
		}
		TelemetrySnapshot snapshot = this.storage.current();
		if (snapshot.models().values().stream().noneMatch((model) -> model.byCaste().containsKey(caste))) {
			throw new CasteNotFoundException(caste);
		}
		long version = snapshot.version();
		Instant to = BucketSize.DAY.startOf(this.clock.instant()).plus(BucketSize.DAY.length());
		Instant from = to.minus(Duration.ofDays(days));
		BucketQuery query = new BucketQuery(BucketSize.DAY, from, to, null, caste, null, false);
		Map<String, Map<String, PropensitySums>> sums = this.storage.propensitySums(query);
		Map<String, CasteStats> counts = new HashMap<>();
		this.storage.buckets(query)
			.forEach((bucket) -> bucket.byModel()
				.forEach((model, stats) -> counts.merge(model, stats, CasteStats::plus)));
		RoutingProperties properties = this.policy.properties();
		return Evaluation.of(caste, taskClass, days, from, to, sums, counts,
				properties.candidates().getOrDefault(caste, List.of()), properties.defaults().get(caste), version);
	}

	/** The change the detector found last per caste × model, newest first. */
	List<DriftAlert> alerts(@Nullable Instant since) {
		List<DriftAlert> alerts = new ArrayList<>();
		this.storage.current().models().forEach((model, stats) -> stats.byCaste().forEach((caste, casteStats) -> {
			RouteEvidence.DriftAlarm alarm = casteStats.routing().alarm();
			if (alarm != null && (since == null || !alarm.at().isBefore(since))) {
				alerts.add(DriftAlert.of(model, caste, alarm));
			}
		}));
		alerts.sort(Comparator.comparing(DriftAlert::at).reversed().thenComparing(DriftAlert::model));
		return alerts;
	}

	/**
	 * A model's counters for the caste, its routing evidence aged to the caste's clock.
	 */
	static Function<String, @Nullable CasteStats> statsOf(TelemetrySnapshot snapshot, String caste) {
		long casteClock = RouteEvidence.casteClock(snapshot.models(), caste);
		return (model) -> {
			ModelStats stats = snapshot.models().get(model);
			CasteStats casteStats = (stats != null) ? stats.byCaste().get(caste) : null;
			return (casteStats != null) ? casteStats.agedTo(casteClock) : null;
		};
	}

	private Objective objective(@Nullable String objective) {
		if (objective == null) {
			return this.policy.properties().defaultObjective();
		}
		return Objective.fromWireName(objective)
			.orElseThrow(() -> new InvalidRequestException(
					"route objective must be one of " + Objective.ALLOWED + "; was '" + objective + "'"));
	}

	private List<String> candidates(String caste, @Nullable List<String> requested, TelemetrySnapshot snapshot) {
		if (requested != null) {
			if (requested.isEmpty()) {
				throw new InvalidRequestException("route candidates must name at least one model; leave them out to "
						+ "route among the caste's configured or seen models");
			}
			if (requested.size() > MAX_CANDIDATES) {
				throw new InvalidRequestException(
						"route candidates may name at most " + MAX_CANDIDATES + " models; named " + requested.size());
			}
			Set<String> seen = new HashSet<>();
			for (String candidate : requested) {
				if (candidate == null || !ModelNames.isValid(candidate)) {
					throw new InvalidRequestException(
							"route candidate '" + ModelNames.shown(candidate) + "' " + ModelNames.RULE);
				}
				if (!seen.add(candidate)) {
					throw new InvalidRequestException(
							"route candidates name '" + candidate + "' twice; name each model once");
				}
			}
			return List.copyOf(requested);
		}
		List<String> configured = this.policy.properties().candidates().get(caste);
		if (configured != null && !configured.isEmpty()) {
			return configured;
		}
		Instant horizon = this.clock.instant().minus(Duration.ofDays(this.history.daily().toDays()));
		List<String> seen = new ArrayList<>();
		for (Map.Entry<String, ModelStats> model : snapshot.models().entrySet()) {
			CasteStats stats = model.getValue().byCaste().get(caste);
			if (stats != null && (stats.routing().updatedAt() == null || stats.routing().updatedAt().isAfter(horizon))
					&& seen.size() < MAX_CANDIDATES) {
				seen.add(model.getKey());
			}
		}
		if (seen.isEmpty()) {
			throw new InvalidRequestException("no candidates for caste '" + caste + "': name them in route.candidates "
					+ "(or ?candidates=), or configure telemetry.routing.candidates." + caste);
		}
		return seen;
	}

}

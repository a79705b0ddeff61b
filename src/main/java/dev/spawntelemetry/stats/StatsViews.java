package dev.spawntelemetry.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.SpawnRecord;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TelemetryStorage;

import org.springframework.stereotype.Component;

/**
 * The statistics of the current snapshot. The unfiltered views are computed once per
 * snapshot and shared by every read until the next write publishes a new one.
 */
@Component
class StatsViews {

	private final TelemetryStorage storage;

	private final Clock clock;

	private volatile Computed computed;

	StatsViews(TelemetryStorage storage, Clock clock) {
		this.storage = storage;
		this.clock = clock;
		this.computed = new Computed(storage.current());
	}

	/** The views of the current snapshot. */
	Computed current() {
		TelemetrySnapshot snapshot = this.storage.current();
		Computed computed = this.computed;
		if (computed.snapshot() != snapshot) {
			computed = new Computed(snapshot);
			this.computed = computed;
		}
		return computed;
	}

	/**
	 * Routing over the decisions of one snapshot, optionally only the last {@code days}
	 * days and one caste.
	 */
	RoutingStats routing(Computed views, @Nullable Integer days, @Nullable String caste) {
		if (days == null && caste == null) {
			return views.routing();
		}
		Instant since = (days != null) ? this.clock.instant().minus(Duration.ofDays(days)) : Instant.MIN;
		Predicate<SpawnRecord> inWindow = (decision) -> !decision.timestamp().isBefore(since);
		Predicate<SpawnRecord> ofCaste = (decision) -> caste == null || caste.equals(decision.caste());
		return RoutingStats.of(views.snapshot().decisions().stream().filter(inWindow.and(ofCaste)).toList());
	}

	/**
	 * What each model did for one caste over its lifetime.
	 * @throws CasteNotFoundException if no spawn of that caste was ever recorded
	 */
	Map<String, CasteStats> lifetime(TelemetrySnapshot snapshot, String caste) {
		Map<String, CasteStats> byModel = new TreeMap<>();
		snapshot.models().forEach((model, stats) -> {
			CasteStats casteStats = stats.byCaste().get(caste);
			if (casteStats != null) {
				byModel.put(model, casteStats);
			}
		});
		if (byModel.isEmpty()) {
			throw new CasteNotFoundException(caste);
		}
		return byModel;
	}

	/**
	 * What each model did for one caste in the decisions of the last {@code days} days
	 * still in the log.
	 */
	Map<String, CasteStats> inWindow(TelemetrySnapshot snapshot, String caste, Recommendation.Window window) {
		Map<String, CasteStats> byModel = new TreeMap<>();
		for (SpawnRecord decision : snapshot.decisions()) {
			if (!decision.caste().equals(caste) || decision.timestamp().isBefore(window.since())) {
				continue;
			}
			CasteStats stats = byModel.getOrDefault(decision.selectedModel(), CasteStats.NONE)
				.withSpawn()
				.withUsage(decision.tokens(), decision.tools());
			if (decision.outcome() != null && decision.completedAt() != null) {
				stats = stats.withOutcome(decision.outcome(),
						Duration.between(decision.timestamp(), decision.completedAt()));
			}
			byModel.put(decision.selectedModel(), stats);
		}
		return byModel;
	}

	/** The last {@code days} days, and how far back the log reaches. */
	Recommendation.Window lastDays(TelemetrySnapshot snapshot, int days) {
		Instant since = this.clock.instant().minus(Duration.ofDays(days));
		List<SpawnRecord> decisions = snapshot.decisions();
		Instant logStartsAt = decisions.stream().map(SpawnRecord::timestamp).min(Instant::compareTo).orElse(null);
		return new Recommendation.Window(days, since, logStartsAt, logStartsAt != null && logStartsAt.isAfter(since));
	}

	/**
	 * Every view of one snapshot that needs no parameter.
	 */
	static final class Computed {

		private final TelemetrySnapshot snapshot;

		private final StatsSummary summary;

		private final Ranking ranking;

		private final RoutingStats routing;

		Computed(TelemetrySnapshot snapshot) {
			this.snapshot = snapshot;
			this.summary = StatsSummary.of(snapshot);
			this.ranking = Ranking.of(snapshot.models());
			this.routing = RoutingStats.of(snapshot.decisions());
		}

		TelemetrySnapshot snapshot() {
			return this.snapshot;
		}

		StatsSummary summary() {
			return this.summary;
		}

		Ranking ranking() {
			return this.ranking;
		}

		RoutingStats routing() {
			return this.routing;
		}

		Optional<ModelDetail> model(String model) {
			return Optional.ofNullable(this.summary.models().get(model))
				.map((summary) -> ModelDetail.of(model, this.snapshot.models().get(model), summary));
		}

	}

}

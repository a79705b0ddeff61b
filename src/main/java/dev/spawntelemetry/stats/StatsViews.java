package dev.spawntelemetry.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.SpawnWindow;
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
	 * Routing over the decisions of one snapshot, optionally only of one caste; or over
	 * every spawn of the last {@code days} days the backend keeps.
	 */
	RoutingStats routing(Computed views, @Nullable Integer days, @Nullable String caste) {
		if (days != null) {
			return RoutingStats.of(this.storage.window(since(days), caste));
		}
		if (caste == null) {
			return views.routing();
		}
		return RoutingStats.of(SpawnWindow.of(
				views.snapshot().decisions().stream().filter((decision) -> caste.equals(decision.caste())).toList(),
				null));
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
	 * What each model did for one caste in the spawns of the last {@code days} days the
	 * backend keeps, and how far back they reach.
	 */
	Evidence lastDays(String caste, int days) {
		Instant since = since(days);
		SpawnWindow window = this.storage.window(since, caste);
		Instant keptSince = window.keptSince();
		return new Evidence(
				new Recommendation.Window(days, since, keptSince, keptSince != null && keptSince.isAfter(since)),
				new TreeMap<>(window.byModel()));
	}

	private Instant since(int days) {
		return this.clock.instant().minus(Duration.ofDays(days));
	}

	/**
	 * What each model did for one caste within a window.
	 */
	record Evidence(Recommendation.Window window, Map<String, CasteStats> byModel) {

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
			this.routing = RoutingStats.of(SpawnWindow.of(snapshot.decisions(), null));
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

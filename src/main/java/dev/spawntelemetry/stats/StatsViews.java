package dev.spawntelemetry.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.store.SpawnRecord;
import dev.spawntelemetry.store.TelemetrySnapshot;
import dev.spawntelemetry.store.TelemetryWriter;

import org.springframework.stereotype.Component;

/**
 * The statistics of the current snapshot. The unfiltered views are computed once per
 * snapshot and shared by every read until the next write publishes a new one.
 */
@Component
class StatsViews {

	private final TelemetryWriter writer;

	private final Clock clock;

	private volatile Computed computed;

	StatsViews(TelemetryWriter writer, Clock clock) {
		this.writer = writer;
		this.clock = clock;
		this.computed = new Computed(writer.snapshot());
	}

	/** The views of the current snapshot. */
	Computed current() {
		TelemetrySnapshot snapshot = this.writer.snapshot();
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
				.map((summary) -> ModelDetail.of(model, summary));
		}

	}

}

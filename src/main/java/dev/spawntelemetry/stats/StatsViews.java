package dev.spawntelemetry.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.CasteNotFoundException;
import dev.spawntelemetry.telemetry.BucketQuery;
import dev.spawntelemetry.telemetry.BucketSize;
import dev.spawntelemetry.telemetry.CasteStats;
import dev.spawntelemetry.telemetry.HistoryProperties;
import dev.spawntelemetry.telemetry.SpawnWindow;
import dev.spawntelemetry.telemetry.TelemetrySnapshot;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.telemetry.TimeBucket;
import dev.spawntelemetry.web.InvalidRequestException;

import org.springframework.stereotype.Component;

/**
 * The statistics of the current snapshot. The unfiltered views are computed once per
 * snapshot and shared by every read until the next write publishes a new one.
 */
@Component
class StatsViews {

	/** Buckets in a trend when its interval does not say. */
	static final int DEFAULT_POINTS = 30;

	private final TelemetryStorage storage;

	private final Clock clock;

	private final HistoryProperties history;

	private volatile Computed computed;

	StatsViews(TelemetryStorage storage, Clock clock, HistoryProperties history) {
		this.storage = storage;
		this.clock = clock;
		this.history = history;
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
	 * every spawn in the whole buckets of the last {@code days} days.
	 */
	RoutingStats routing(Computed views, @Nullable Integer days, @Nullable String caste) {
		if (days != null) {
			Interval interval = lastDays(days);
			return RoutingStats.of(window(interval, caste, true), interval);
		}
		if (caste == null) {
			return views.routing();
		}
		return RoutingStats.of(SpawnWindow
			.of(views.snapshot().decisions().stream().filter((decision) -> caste.equals(decision.caste())).toList()),
				null);
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

	/** What each model did for one caste in the whole buckets of the last days. */
	Evidence lastDays(String caste, int days) {
		Interval interval = lastDays(days);
		return new Evidence(interval, new TreeMap<>(window(interval, caste, false).byModel()));
	}

	/**
	 * The whole buckets of the last {@code days} days, the current one the last: hours
	 * while the hourly history reaches back that far, days beyond.
	 * @throws InvalidRequestException if the daily history does not reach back that far
	 */
	Interval lastDays(int days) {
		long kept = this.history.daily().toDays();
		if (days > kept) {
			throw new InvalidRequestException("days must be at most " + kept
					+ ", the days of history kept (telemetry.history.daily); was " + days);
		}
		Duration length = Duration.ofDays(days);
		BucketSize size = (length.compareTo(this.history.hourly()) <= 0) ? BucketSize.HOUR : BucketSize.DAY;
		Instant to = size.startOf(this.clock.instant()).plus(size.length());
		return Interval.of(days, to.minus(length), to, size);
	}

	/**
	 * The sums of the whole buckets of an interval, read from as few buckets as give them
	 * exactly: of an interval of hours, the whole days from the daily buckets (each holds
	 * the spawns of its 24 hours, which the hourly history keeps for every day such an
	 * interval reaches), the hours at its ends from the hourly ones; and the hours of the
	 * first and last days that hold spawns, when those are whole days, to state the
	 * window's first and last hour.
	 */
	private SpawnWindow window(Interval interval, @Nullable String caste, boolean sources) {
		Instant from = interval.from();
		Instant to = interval.to();
		Instant firstDay = ceiling(BucketSize.DAY, from);
		Instant lastDay = BucketSize.DAY.startOf(to);
		if (interval.size() != BucketSize.HOUR || !firstDay.isBefore(lastDay)) {
			return read(interval.size(), from, to, caste, sources);
		}
		SpawnWindow head = read(BucketSize.HOUR, from, firstDay, caste, sources);
		SpawnWindow days = read(BucketSize.DAY, firstDay, lastDay, caste, sources);
		SpawnWindow tail = read(BucketSize.HOUR, lastDay, to, caste, sources);
		Instant earliest = head.earliest();
		if (earliest == null && days.earliest() != null) {
			earliest = read(BucketSize.HOUR, days.earliest(), days.earliest().plus(BucketSize.DAY.length()), caste,
					false)
				.earliest();
		}
		Instant latest = tail.latest();
		if (latest == null && days.latest() != null) {
			latest = read(BucketSize.HOUR, days.latest().minus(BucketSize.DAY.length()), days.latest(), caste, false)
				.latest();
		}
		SpawnWindow whole = head.plus(days).plus(tail);
		return whole.within((earliest != null) ? earliest : whole.earliest(),
				(latest != null) ? latest : whole.latest());
	}

	private SpawnWindow read(BucketSize size, Instant from, Instant to, @Nullable String caste, boolean sources) {
		return SpawnWindow.of(this.storage.buckets(new BucketQuery(size, from, to, null, caste, null, sources)), size);
	}

	/** The whole buckets of an interval, never further back than the history keeps. */
	Interval interval(BucketSize size, @Nullable Instant from, @Nullable Instant to) {
		Instant now = this.clock.instant();
		Instant oldest = this.history.oldestKept(size, now);
		Instant end = (to != null) ? ceiling(size, to) : size.startOf(now).plus(size.length());
		Instant start = (from != null) ? size.startOf(from) : end.minus(size.length().multipliedBy(DEFAULT_POINTS));
		if (!start.isBefore(end)) {
			throw new InvalidRequestException("from must come before to, by at least one " + size.wireName()
					+ " bucket; was from=" + from + ", to=" + to);
		}
		if (from != null && start.isBefore(oldest)) {
			throw new InvalidRequestException(size.wireName() + " buckets are kept for "
					+ this.history.keeps(size).toDays() + " days (telemetry.history), so from must be at or after "
					+ oldest + "; was " + from + ((size == BucketSize.HOUR) ? "; ask bucket=day for longer" : ""));
		}
		Instant latest = size.startOf(now.plus(HistoryProperties.AHEAD)).plus(size.length());
		if (end.isAfter(latest)) {
			throw new InvalidRequestException("to must be at most " + latest + ", a day ahead of the clock; was " + to);
		}
		if (!end.isAfter(oldest)) {
			throw new InvalidRequestException(
					size.wireName() + " buckets are kept for " + this.history.keeps(size).toDays()
							+ " days (telemetry.history), so to must be after " + oldest + "; was " + to);
		}
		return Interval.of(null, start.isBefore(oldest) ? oldest : start, end, size);
	}

	/**
	 * The buckets of an interval that hold spawns, of the given model, caste or source,
	 * without their spawns per source.
	 */
	List<TimeBucket> buckets(Interval interval, @Nullable String model, @Nullable String caste,
			@Nullable String source) {
		return this.storage.buckets(
				new BucketQuery(interval.size(), interval.from(), interval.to(), model, caste, source, false, false));
	}

	private static Instant ceiling(BucketSize size, Instant at) {
		Instant start = size.startOf(at);
		return start.equals(at) ? start : start.plus(size.length());
	}

	/**
	 * What each model did for one caste within a window.
	 */
	record Evidence(Interval window, Map<String, CasteStats> byModel) {

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
			this.routing = RoutingStats.of(SpawnWindow.of(snapshot.decisions()), null);
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
				.map((summary) -> ModelDetail.of(model, this.snapshot.models().get(model), summary,
						this.snapshot.decisions()));
		}

	}

}

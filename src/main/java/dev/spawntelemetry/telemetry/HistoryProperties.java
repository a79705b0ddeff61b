package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How far back the time buckets reach, whichever backend keeps them. Every spawn counts
 * in the bucket of its hour and in that of its day; an hour older than {@code hourly} is
 * dropped, its spawns still counted in their day, and a day older than {@code daily} is
 * dropped, its spawns still counted in the lifetime aggregates.
 *
 * @param hourly how long hourly buckets are kept, in whole hours
 * @param daily how long daily buckets are kept, in whole days, at least as long as hours
 */
@ConfigurationProperties("telemetry.history")
public record HistoryProperties(@DefaultValue("14d") Duration hourly, @DefaultValue("400d") Duration daily) {

	/** How far ahead of the clock a spawn may be stamped and still count in a bucket. */
	public static final Duration AHEAD = Duration.ofDays(1);

	public static final HistoryProperties DEFAULTS = new HistoryProperties(Duration.ofDays(14), Duration.ofDays(400));

	public HistoryProperties {
		if (hourly.compareTo(BucketSize.HOUR.length()) < 0 || hourly.toSeconds() % 3600 != 0
				|| hourly.toNanosPart() != 0) {
			throw new IllegalArgumentException(
					"telemetry.history.hourly must be a whole number of hours, at least 1h (was " + hourly + ")");
		}
		if (daily.compareTo(BucketSize.DAY.length()) < 0 || daily.toSeconds() % 86_400 != 0
				|| daily.toNanosPart() != 0) {
			throw new IllegalArgumentException(
					"telemetry.history.daily must be a whole number of days, at least 1d (was " + daily + ")");
		}
		if (daily.compareTo(hourly) < 0) {
			throw new IllegalArgumentException("telemetry.history.daily (" + daily
					+ ") must be at least as long as telemetry.history.hourly (" + hourly + ")");
		}
		if (daily.toDays() > 36_500) {
			throw new IllegalArgumentException("telemetry.history.daily must be at most 36500d (was " + daily + ")");
		}
	}

	/** How long buckets of a size are kept. */
	public Duration keeps(BucketSize size) {
		return (size == BucketSize.HOUR) ? this.hourly : this.daily;
	}

	/**
	 * The start of the oldest bucket of a size still kept: the kept buckets end with the
	 * current one.
	 */
	public Instant oldestKept(BucketSize size, Instant now) {
		return size.startOf(now).plus(size.length()).minus(keeps(size));
	}

	/**
	 * Whether a spawn stamped at a moment counts in its bucket of a size now: the bucket
	 * is kept, and the moment is at most {@link #AHEAD} ahead of the clock.
	 */
	public boolean counts(BucketSize size, Instant stamped, Instant now) {
		return !size.startOf(stamped).isBefore(oldestKept(size, now)) && !stamped.isAfter(now.plus(AHEAD));
	}

}

package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;

/**
 * The sizes of the time buckets, in UTC: a bucket starts at a whole hour or at midnight.
 */
public enum BucketSize {

	HOUR("hour", ChronoUnit.HOURS), DAY("day", ChronoUnit.DAYS);

	private final String wireName;

	private final ChronoUnit unit;

	BucketSize(String wireName, ChronoUnit unit) {
		this.wireName = wireName;
		this.unit = unit;
	}

	public String wireName() {
		return this.wireName;
	}

	public Duration length() {
		return this.unit.getDuration();
	}

	/** The start of the bucket a moment falls into. */
	public Instant startOf(Instant at) {
		return at.truncatedTo(this.unit);
	}

	public static Optional<BucketSize> fromWireName(String name) {
		return Arrays.stream(values()).filter((size) -> size.wireName.equals(name)).findFirst();
	}

	@Override
	public String toString() {
		return this.wireName;
	}

}

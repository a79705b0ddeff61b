package dev.spawntelemetry.stats;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.spawntelemetry.telemetry.BucketSize;

/**
 * The whole time buckets an answer covers: those starting at or after {@code from} and
 * before {@code to}, each of the size {@code bucket}.
 *
 * @param days the days asked for, or null when the interval was given by its ends
 */
record Interval(@Nullable Integer days, Instant from, Instant to, String bucket) {

	static Interval of(@Nullable Integer days, Instant from, Instant to, BucketSize size) {
		return new Interval(days, from, to, size.wireName());
	}

	BucketSize size() {
		return BucketSize.fromWireName(this.bucket).orElseThrow();
	}

}

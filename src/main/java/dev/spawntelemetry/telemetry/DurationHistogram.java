package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.util.Arrays;

/**
 * Spawn durations in fixed log-spaced buckets, so that percentiles survive rotation of
 * the log in a few numbers. Bucket 0 holds durations up to 1 s, and counts apart how many
 * of them were exactly zero (an outcome in the same millisecond as its spawn, or one
 * whose clock ran behind); each next bucket's upper bound is √2 times the last, up to
 * 2^17 s (about 36 h); the last bucket holds everything longer. A percentile is the upper
 * bound of its bucket, what the counts prove: a zero duration is reported as 0, one up to
 * 1 s as 1 s, a longer one at most √2 times too long, one beyond the last bound as that
 * bound. Immutable.
 */
public final class DurationHistogram {

	/** Upper bounds of the bounded buckets, in milliseconds. */
	static final long[] UPPER_BOUNDS_MS = upperBounds();

	public static final int BUCKETS = UPPER_BOUNDS_MS.length + 1;

	public static final DurationHistogram EMPTY = new DurationHistogram(new long[0], 0);

	/** Trailing empty buckets are not stored. */
	private final long[] counts;

	/** Durations of zero, counted in bucket 0 too. */
	private final long zeros;

	private final long total;

	private DurationHistogram(long[] counts, long zeros) {
		int length = counts.length;
		while (length > 0 && counts[length - 1] == 0) {
			length--;
		}
		this.counts = Arrays.copyOf(counts, length);
		this.zeros = zeros;
		this.total = Arrays.stream(this.counts).sum();
	}

	/**
	 * A histogram from stored bucket counts, none of them known to be zero (as stored
	 * before zeros were counted apart).
	 * @throws IllegalArgumentException if there are more counts than buckets or a count
	 * is negative
	 */
	public static DurationHistogram of(long[] counts) {
		return of(counts, 0);
	}

	/**
	 * A histogram from stored bucket counts and how many of bucket 0 were zero.
	 * @throws IllegalArgumentException if there are more counts than buckets, a count is
	 * negative, or there are more zeros than bucket 0 holds
	 */
	public static DurationHistogram of(long[] counts, long zeros) {
		if (counts.length > BUCKETS || Arrays.stream(counts).anyMatch((count) -> count < 0)) {
			throw new IllegalArgumentException("at most " + BUCKETS + " non-negative bucket counts");
		}
		if (zeros < 0 || zeros > ((counts.length > 0) ? counts[0] : 0)) {
			throw new IllegalArgumentException("zero durations must be between 0 and the count of bucket 0");
		}
		return new DurationHistogram(counts, zeros);
	}

	/**
	 * The upper bounds of the bounded buckets, in milliseconds: a duration of {@code ms}
	 * falls into the bucket whose index is how many of them are below it.
	 */
	public static long[] upperBoundsMillis() {
		return UPPER_BOUNDS_MS.clone();
	}

	public DurationHistogram with(Duration duration) {
		long[] counts = Arrays.copyOf(this.counts, BUCKETS);
		long millis = saturatedMillis(duration);
		counts[bucketOf(millis)]++;
		return new DurationHistogram(counts, this.zeros + ((millis <= 0) ? 1 : 0));
	}

	public DurationHistogram plus(DurationHistogram other) {
		long[] counts = Arrays.copyOf(this.counts, BUCKETS);
		for (int i = 0; i < other.counts.length; i++) {
			counts[i] += other.counts[i];
		}
		return new DurationHistogram(counts, this.zeros + other.zeros);
	}

	/** Adds this histogram's bucket counts into an array of {@link #BUCKETS} counts. */
	void addTo(long[] sums) {
		for (int i = 0; i < this.counts.length; i++) {
			sums[i] += this.counts[i];
		}
	}

	/** How many durations were zero; they are counted in bucket 0 too. */
	public long zeros() {
		return this.zeros;
	}

	/** The stored bucket counts, without trailing empty buckets. */
	public long[] counts() {
		return this.counts.clone();
	}

	public long total() {
		return this.total;
	}

	/**
	 * The upper bound of the bucket that holds the given fraction of durations: no more
	 * than that fraction took longer. Not interpolated within the bucket, which would
	 * make up a spread the counts do not show (one spawn of 0.11 s would read as a p50 of
	 * 0.5 s and a p99 of 0.99 s); durations beyond the last bound count as that bound.
	 * @param quantile between 0 and 1
	 */
	public Duration percentile(double quantile) {
		if (this.total == 0) {
			return Duration.ZERO;
		}
		double rank = quantile * this.total;
		if (this.zeros > 0 && this.zeros >= rank) {
			return Duration.ZERO;
		}
		long seen = this.zeros;
		for (int i = 0; i < this.counts.length; i++) {
			long count = this.counts[i] - ((i == 0) ? this.zeros : 0);
			if (count > 0 && seen + count >= rank) {
				return Duration.ofMillis(UPPER_BOUNDS_MS[Math.min(i, UPPER_BOUNDS_MS.length - 1)]);
			}
			seen += count;
		}
		return Duration.ofMillis(UPPER_BOUNDS_MS[UPPER_BOUNDS_MS.length - 1]);
	}

	/** The milliseconds of a duration, or Long.MAX_VALUE where they do not fit a long. */
	private static long saturatedMillis(Duration duration) {
		try {
			return duration.toMillis();
		}
		catch (ArithmeticException ex) {
			return duration.isNegative() ? 0 : Long.MAX_VALUE;
		}
	}

	static int bucketOf(long millis) {
		for (int i = 0; i < UPPER_BOUNDS_MS.length; i++) {
			if (millis <= UPPER_BOUNDS_MS[i]) {
				return i;
			}
		}
		return UPPER_BOUNDS_MS.length;
	}

	private static long[] upperBounds() {
		long[] bounds = new long[35];
		for (int i = 0; i < bounds.length; i++) {
			bounds[i] = Math.round(1000 * Math.pow(2, i / 2.0));
		}
		return bounds;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof DurationHistogram histogram && Arrays.equals(this.counts, histogram.counts)
				&& this.zeros == histogram.zeros;
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.counts) + Long.hashCode(this.zeros);
	}

	@Override
	public String toString() {
		return "DurationHistogram" + Arrays.toString(this.counts) + ((this.zeros > 0) ? " zeros=" + this.zeros : "");
	}

}

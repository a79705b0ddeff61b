package dev.spawntelemetry.telemetry;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DurationHistogramTests {

	@Test
	void placesDurationsInLogSpacedBuckets() {
		assertThat(DurationHistogram.bucketOf(0)).isZero();
		assertThat(DurationHistogram.bucketOf(1000)).isZero();
		assertThat(DurationHistogram.bucketOf(1001)).isEqualTo(1);
		assertThat(DurationHistogram.bucketOf(1414)).isEqualTo(1);
		assertThat(DurationHistogram.bucketOf(2000)).isEqualTo(2);
		assertThat(DurationHistogram.bucketOf(60_000)).isEqualTo(12);
		assertThat(DurationHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(DurationHistogram.BUCKETS - 1);
	}

	@Test
	void estimatesPercentilesWithinTheBucketsPrecision() {
		DurationHistogram histogram = DurationHistogram.EMPTY;
		for (int seconds = 1; seconds <= 100; seconds++) {
			histogram = histogram.with(Duration.ofSeconds(seconds));
		}

		assertThat(histogram.total()).isEqualTo(100);
		assertThat(histogram.percentile(0.5).toMillis()).isBetween(Math.round(50_000 / 1.415),
				Math.round(50_000 * 1.415));
		assertThat(histogram.percentile(0.9).toMillis()).isBetween(Math.round(90_000 / 1.415),
				Math.round(90_000 * 1.415));
		assertThat(histogram.percentile(0.99).toMillis()).isBetween(Math.round(99_000 / 1.415),
				Math.round(99_000 * 1.415));
	}

	@Test
	void mergesAndKeepsOnlyBucketsInUse() {
		DurationHistogram a = DurationHistogram.EMPTY.with(Duration.ofSeconds(3));
		DurationHistogram b = DurationHistogram.EMPTY.with(Duration.ofMillis(500)).with(Duration.ofSeconds(3));

		DurationHistogram merged = a.plus(b);

		assertThat(merged.counts()).containsExactly(1, 0, 0, 0, 2);
		assertThat(merged).isEqualTo(DurationHistogram.of(new long[] { 1, 0, 0, 0, 2, 0, 0 }));
		assertThat(DurationHistogram.EMPTY.percentile(0.5)).isEqualTo(Duration.ZERO);
	}

	@Test
	void reportsDurationsBeyondTheLastBoundAsThatBound() {
		DurationHistogram histogram = DurationHistogram.EMPTY.with(Duration.ofDays(30));

		assertThat(histogram.percentile(0.99)).isEqualTo(Duration.ofSeconds(131_072));
	}

	@Test
	void reportsZeroDurationsAsZero() {
		DurationHistogram zeros = DurationHistogram.EMPTY.with(Duration.ZERO)
			.with(Duration.ZERO)
			.with(Duration.ofNanos(999_999))
			.with(Duration.ofMillis(800));

		assertThat(zeros.zeros()).isEqualTo(3);
		assertThat(zeros.percentile(0.5)).isEqualTo(Duration.ZERO);
		assertThat(zeros.percentile(0.75)).isEqualTo(Duration.ZERO);
		assertThat(zeros.percentile(0.99)).isBetween(Duration.ofMillis(1), Duration.ofSeconds(1));
		assertThat(DurationHistogram.of(zeros.counts(), zeros.zeros())).isEqualTo(zeros);
		assertThat(zeros.plus(zeros).zeros()).isEqualTo(6);
	}

	/**
	 * The bound docs/api.md states, for every value of one duration alone: every
	 * percentile is the same upper bound of its bucket, never below the duration.
	 */
	@Test
	void reportsTheBucketOfADurationAloneNeverBelowIt() {
		for (long millis = 0; millis <= 131_072_000L; millis = (millis < 3000) ? millis + 1 : millis * 1013 / 1000) {
			DurationHistogram alone = DurationHistogram.EMPTY.with(Duration.ofMillis(millis));
			long median = alone.percentile(0.5).toMillis();
			assertThat(List.of(alone.percentile(0.9).toMillis(), alone.percentile(0.99).toMillis())).as(millis + " ms")
				.containsOnly(median);
			if (millis == 0) {
				assertThat(median).isZero();
			}
			else if (millis <= 1000) {
				assertThat(median).as(millis + " ms").isEqualTo(1000L);
			}
			else {
				assertThat((double) median).as(millis + " ms").isBetween((double) millis, millis * Math.sqrt(2) + 1);
			}
		}
	}

	@Test
	void readsASpawnOfAFractionOfASecondAsAtMostASecond() {
		DurationHistogram quick = DurationHistogram.EMPTY.with(Duration.ofMillis(110));

		assertThat(List.of(quick.percentile(0.5), quick.percentile(0.9), quick.percentile(0.99)))
			.containsOnly(Duration.ofSeconds(1));
	}

	@Test
	void refusesStoredCountsThatCannotBeAHistogram() {
		assertThatIllegalArgumentException().isThrownBy(() -> DurationHistogram.of(new long[] { 1 }, 2));
		assertThatIllegalArgumentException().isThrownBy(() -> DurationHistogram.of(new long[] { -1 }));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DurationHistogram.of(new long[DurationHistogram.BUCKETS + 1]));
	}

}

package dev.spawntelemetry.stats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class WilsonIntervalTests {

	@ParameterizedTest
	@CsvSource({ "8, 10, 0.4902, 0.9433", "0, 10, 0.0, 0.2775", "10, 10, 0.7225, 1.0", "1, 1, 0.2065, 1.0",
			"95, 100, 0.8882, 0.9785", "50, 100, 0.4038, 0.5962" })
	void matchesPublishedValues(long successes, long trials, double low, double high) {
		WilsonInterval interval = WilsonInterval.of(successes, trials).rounded();

		assertThat(interval.low()).isEqualTo(low);
		assertThat(interval.high()).isEqualTo(high);
	}

	@Test
	void hasNoIntervalWithoutTrials() {
		assertThat(WilsonInterval.of(0, 0)).isNull();
	}

	@Test
	void ranksNinetyFiveOfAHundredAboveOneOfOne() {
		assertThat(WilsonInterval.of(95, 100).low()).isGreaterThan(WilsonInterval.of(1, 1).low());
	}

}

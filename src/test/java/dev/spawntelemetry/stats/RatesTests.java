package dev.spawntelemetry.stats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RatesTests {

	@ParameterizedTest
	@CsvSource({ "0, 0, 0.0", "1, 3, 0.33", "2, 3, 0.67", "1, 8, 0.13", "3, 8, 0.38", "5, 5, 1.0", "0, 7, 0.0",
			"1, 200, 0.01", "1, 201, 0.0" })
	void roundsHalfUpToTwoDecimals(long successes, long spawns, double rate) {
		assertThat(Rates.successRate(successes, spawns)).isEqualTo(rate);
	}

}

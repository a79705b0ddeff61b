package dev.spawntelemetry.telemetry;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeTests {

	@Test
	void thePatternOfTheValidationAnnotationsNamesExactlyTheOutcomes() {
		assertThat(Outcome.PATTERN.split("\\|"))
			.containsExactly(Arrays.stream(Outcome.values()).map(Outcome::wireName).toArray(String[]::new));
		assertThat(Outcome.ALLOWED).isEqualTo(String.join(", ", Outcome.PATTERN.split("\\|")));
	}

}

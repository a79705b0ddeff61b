package dev.spawntelemetry.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.web.InvalidRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A spawn's task class: named, else the first configured class whose keyword its task
 * contains, else the default.
 */
class TaskClassesTests {

	private final TaskClasses classes = new TaskClasses(configured());

	private static Map<String, List<String>> configured() {
		Map<String, List<String>> keywords = new LinkedHashMap<>();
		keywords.put("refactor", List.of("refactor", "rename"));
		keywords.put("docs", List.of("document", "readme", "rename the docs"));
		return keywords;
	}

	@Test
	void classifiesByTheFirstConfiguredClassWhoseKeywordTheTaskContainsIgnoringCase() {
		assertThat(this.classes.of(null, "Refactor the parser")).isEqualTo("refactor");
		assertThat(this.classes.of(null, "update the README")).isEqualTo("docs");
		assertThat(this.classes.of(null, "rename the docs")).as("first in configured order").isEqualTo("refactor");
		assertThat(this.classes.of(null, "fix the build")).isEqualTo("default");
		assertThat(this.classes.of(null, null)).isEqualTo("default");
	}

	@Test
	void takesAClassTheRequestNamesIfItIsConfiguredOrTheDefault() {
		assertThat(this.classes.of("docs", "refactor everything")).isEqualTo("docs");
		assertThat(this.classes.of("default", "refactor everything")).isEqualTo("default");
		assertThatExceptionOfType(InvalidRequestException.class).isThrownBy(() -> this.classes.of("poetry", null))
			.withMessageContaining("'poetry' is not configured")
			.withMessageContaining("default, refactor, docs");
	}

}

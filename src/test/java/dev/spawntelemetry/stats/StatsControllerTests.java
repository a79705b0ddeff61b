package dev.spawntelemetry.stats;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.WebSliceConfiguration;
import dev.spawntelemetry.InMemoryTelemetryStorage;
import dev.spawntelemetry.telemetry.NewSpawn;
import dev.spawntelemetry.telemetry.Outcome;
import dev.spawntelemetry.telemetry.Usage;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the read side maps to HTTP, against the port in memory: ETags and 304s, 404s for
 * what was never recorded, 400s for parameters out of range.
 */
@WebMvcTest({ StatsController.class, RecommendationController.class })
@Import({ StatsViews.class, WebSliceConfiguration.class })
class StatsControllerTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	InMemoryTelemetryStorage storage;

	@Test
	void answersAnUnchangedStateWith304UntilAWriteChangesIt() {
		long before = this.storage.current().totalSpawns();
		MvcTestResult first = this.mvc.get().uri("/stats").exchange();
		String etag = first.getResponse().getHeader("ETag");

		MvcTestResult unchanged = this.mvc.get().uri("/stats").header("If-None-Match", etag).exchange();
		this.storage.recordSpawn(new NewSpawn(null, null, "t", "builder", "kimi", "test")).join();
		MvcTestResult changed = this.mvc.get().uri("/stats").header("If-None-Match", etag).exchange();

		assertThat(first).hasStatusOk();
		assertThat(etag).isNotBlank();
		assertThat(unchanged).hasStatus(304);
		assertThat(changed).hasStatusOk();
		assertThat(changed).bodyJson().extractingPath("$.total_spawns").asNumber().isEqualTo((int) before + 1);
	}

	@Test
	void answersWhatWasNeverRecordedWith404() {
		assertProblem(this.mvc.get().uri("/stats/models/never-seen").exchange(), 404, "not-found", "never-seen");
		assertProblem(this.mvc.get().uri("/stats/castes/never-seen").exchange(), 404, "not-found", "never-seen");
		assertProblem(this.mvc.get().uri("/recommendations?caste=never-seen").exchange(), 404, "not-found",
				"never-seen");
	}

	@Test
	void refusesParametersOutOfRangeSayingWhatIsAllowed() {
		this.storage.recordSpawn(new NewSpawn("s1", null, "t", "builder", "kimi", "test")).join();
		this.storage.recordOutcome("s1", Outcome.COMPLETED, Usage.NONE).join();

		assertProblem(this.mvc.get().uri("/recommendations?caste=builder&min_resolved=0").exchange(), 400,
				"invalid-request", "min_resolved");
		assertProblem(this.mvc.get().uri("/recommendations?caste=builder&days=401").exchange(), 400, "invalid-request",
				"at most 400");
		assertProblem(this.mvc.get().uri("/stats/trends?bucket=week").exchange(), 400, "invalid-request",
				"hour or day");
		assertProblem(this.mvc.get().uri("/stats/routing?castee=builder").exchange(), 400, "invalid-request", "castee");
		assertThat(this.mvc.get().uri("/recommendations?caste=builder&min_resolved=1").exchange()).bodyJson()
			.extractingPath("$.recommended")
			.isEqualTo("kimi");
	}

	static void assertProblem(MvcTestResult result, int status, String type, String detail) {
		assertThat(result).hasStatus(status).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:spawn-telemetry:problem:" + type);
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detail);
	}

}

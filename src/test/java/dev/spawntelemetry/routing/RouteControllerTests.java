package dev.spawntelemetry.routing;

import org.junit.jupiter.api.Test;

import dev.spawntelemetry.WebSliceConfiguration;
import dev.spawntelemetry.InMemoryTelemetryStorage;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/** How routes and alerts map to HTTP, against the port in memory. */
@WebMvcTest(RouteController.class)
@Import({ Routes.class, RoutePolicy.class, WebSliceConfiguration.class })
class RouteControllerTests {

	@Autowired
	MockMvcTester mvc;

	@Test
	void answersTheProbabilitiesWithAnETagAndA304ForTheSameQuestion() {
		MvcTestResult first = this.mvc.get().uri("/routes/builder?candidates=a,b").exchange();
		String etag = first.getResponse().getHeader("ETag");

		assertThat(first).hasStatusOk();
		assertThat(first).bodyJson().extractingPath("$.candidates[0].probability").asNumber().isEqualTo(0.5);
		assertThat(this.mvc.get().uri("/routes/builder?candidates=a,b").header("If-None-Match", etag).exchange())
			.hasStatus(304);
		assertThat(this.mvc.get().uri("/routes/builder?candidates=b,a").header("If-None-Match", etag).exchange())
			.as("another question")
			.hasStatusOk();
		assertThat(this.mvc.get().uri("/routes/builder?candidates=a,b").header("If-None-Match", "*").exchange())
			.as("RFC 9110: '*' matches the current representation")
			.hasStatus(304);
	}

	@Test
	void refusesCandidatesThatAreEmptyOrRepeatedAndAnUnknownObjective() {
		assertProblem(this.mvc.get().uri("/routes/builder?candidates=a,,b").exchange(), "route candidate ''");
		assertProblem(this.mvc.get().uri("/routes/builder?candidates=a,a").exchange(), "twice");
		assertProblem(this.mvc.get().uri("/routes/builder?candidates=a&objective=speed").exchange(),
				"success, success-per-token");
		assertProblem(this.mvc.get().uri("/routes/builder").exchange(), "no candidates for caste 'builder'");
		assertProblem(this.mvc.get().uri("/stats/alerts?days=0").exchange(), "days");
	}

	@Test
	void listsNoAlertsWhileNothingChanged() {
		assertThat(this.mvc.get().uri("/stats/alerts").exchange()).bodyJson()
			.extractingPath("$.alerts")
			.asArray()
			.isEmpty();
	}

	private static void assertProblem(MvcTestResult result, String detail) {
		assertThat(result).hasStatus(400).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:spawn-telemetry:problem:invalid-request");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detail);
	}

}

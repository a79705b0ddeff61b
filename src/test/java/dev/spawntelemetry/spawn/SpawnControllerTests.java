package dev.spawntelemetry.spawn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.spawntelemetry.WebSliceConfiguration;
import dev.spawntelemetry.InMemoryTelemetryStorage;
import dev.spawntelemetry.routing.RoutePolicy;
import dev.spawntelemetry.routing.Routes;
import dev.spawntelemetry.telemetry.StorageUnavailableException;
import dev.spawntelemetry.telemetry.TelemetryStorage;
import dev.spawntelemetry.telemetry.WriteNotAcceptedException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link SpawnController} maps requests and the storage's answers to HTTP, against
 * the port in memory: statuses, problem types, the messages a person acts on.
 */
@WebMvcTest(SpawnController.class)
@Import({ SpawnMetrics.class, Routes.class, RoutePolicy.class, WebSliceConfiguration.class })
class SpawnControllerTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	InMemoryTelemetryStorage storage;

	@AfterEach
	void acceptWritesAgain() {
		this.storage.refuseWritesWith(null);
	}

	@Test
	void answersANewSpawnCreatedWithItsLocationAndARetryOk() {
		String body = "{\"spawn_id\":\"created-1\",\"caste\":\"builder\",\"model\":\"kimi\",\"timestamp\":\"2026-06-01T12:00:00Z\"}";

		MvcTestResult created = post(body);
		MvcTestResult retry = post(body);

		assertThat(created).hasStatus(201).hasHeader("Location", "/spawns/created-1");
		assertThat(created).bodyJson().extractingPath("$.source").isEqualTo("caste-default");
		assertThat(retry).hasStatus(200);
	}

	@Test
	void refusesAnInvalidNameAnUnknownFieldAndABadTimestampWithAProblemThatSaysWhy() {
		assertProblem(post("{\"caste\":\"no spaces\"}"), 400, "invalid-request", "caste must be 1 to 128");
		assertProblem(post("{\"modle\":\"kimi\"}"), 400, "invalid-request", "modle");
		assertProblem(post("{\"timestamp\":\"yesterday\"}"), 400, "invalid-request", "is not an ISO-8601 instant");
		assertProblem(post("{\"model\":\"a\",\"route\":{\"candidates\":[\"a\"]}}"), 400, "invalid-request",
				"either model");
		assertProblem(post("{\"route\":{\"candidates\":[\"a\",\"a\"]}}"), 400, "invalid-request", "twice");
	}

	@Test
	void mapsRefusalsOfTheStorageToTheirStatusesAndProblemTypes() {
		post("{\"spawn_id\":\"s1\",\"caste\":\"builder\",\"model\":\"kimi\"}");

		assertProblem(post("{\"spawn_id\":\"s1\",\"caste\":\"scout\",\"model\":\"kimi\"}"), 409, "conflict", "caste");
		assertProblem(this.mvc.put()
			.uri("/spawns/nobody/outcome")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"outcome\":\"completed\"}")
			.exchange(), 404, "not-found", "nobody");
		assertProblem(this.mvc.put()
			.uri("/spawns/s1/outcome")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"outcome\":\"done\"}")
			.exchange(), 400, "invalid-request", "completed, failed, blocked");

		this.storage.refuseWritesWith(new WriteNotAcceptedException("the writer's queue is full"));
		MvcTestResult overloaded = post("{\"caste\":\"builder\"}");
		assertProblem(overloaded, 503, "overloaded", "queue is full");
		assertThat(overloaded).hasHeader("Retry-After", "1");
		this.storage.refuseWritesWith(new StorageUnavailableException("the disk is full",
				new java.io.IOException("No space left on device")));
		assertProblem(post("{\"caste\":\"builder\"}"), 503, "storage-unavailable", "cannot store it right now");
	}

	@Test
	void refusesABodyThatIsNotJson() {
		assertThat(this.mvc.post().uri("/spawns").contentType(MediaType.TEXT_PLAIN).content("caste=builder").exchange())
			.hasStatus(415);
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri("/spawns").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	static void assertProblem(MvcTestResult result, int status, String type, String detail) {
		assertThat(result).hasStatus(status).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:spawn-telemetry:problem:" + type);
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detail);
	}

}

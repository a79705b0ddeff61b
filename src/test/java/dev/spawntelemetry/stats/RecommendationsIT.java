package dev.spawntelemetry.stats;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.spawntelemetry.RunningService;
import dev.spawntelemetry.TestApi;
import dev.spawntelemetry.TestApi.Response;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendationsIT {

	@TempDir
	Path dataDirectory;

	@Test
	void recommendsByEvidenceAndKeepsItAcrossRestarts() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			record(api, "builder", "steady", 19, 1, 0, Instant.now().minus(10, ChronoUnit.DAYS));
			record(api, "builder", "lucky", 2, 0, 0, Instant.now().minus(1, ChronoUnit.HOURS));
			record(api, "builder", "shaky", 8, 8, 4, Instant.now().minus(1, ChronoUnit.HOURS));
			api.recordSpawn("builder", "shaky", "task-based");

			JsonNode lifetime = api.get("/recommendations?caste=builder").json();
			assertThat(lifetime.get("recommended").asString()).isEqualTo("steady");
			assertThat(lifetime.get("confidence").asBoolean()).isTrue();
			assertThat(lifetime.get("window").isNull()).isTrue();
			assertThat(lifetime.get("min_resolved").asInt()).isEqualTo(10);
			JsonNode first = lifetime.get("models").get(0);
			assertThat(first.get("model").asString()).isEqualTo("steady");
			assertThat(first.get("rank").asInt()).isEqualTo(1);
			assertThat(first.get("resolved_success_rate").asDouble()).isEqualTo(0.95);
			assertThat(first.get("wilson").get("low").asDouble()).isEqualTo(0.7639);
			assertThat(first.get("wilson").get("high").asDouble()).isEqualTo(0.9911);
			assertThat(first.get("durations").get("completed").get("count").asLong()).isEqualTo(19);
			JsonNode lucky = lifetime.get("models").get(2);
			assertThat(lucky.get("model").asString()).isEqualTo("lucky");
			assertThat(lucky.get("insufficient_data").asBoolean()).isTrue();

			JsonNode lastWeek = api.get("/recommendations?caste=builder&days=7&min_resolved=2").json();
			assertThat(lastWeek.get("window").get("days").asInt()).isEqualTo(7);
			assertThat(lastWeek.get("recommended").asString()).isEqualTo("lucky");
			assertThat(lastWeek.get("models").valueStream().map((model) -> model.get("model").asString()))
				.containsExactly("lucky", "shaky");

			JsonNode caste = api.get("/stats/castes/builder").json();
			JsonNode shaky = caste.get("models").get(0);
			assertThat(shaky.get("model").asString()).isEqualTo("shaky");
			assertThat(shaky.get("spawns").asLong()).isEqualTo(21);
			assertThat(shaky.get("completed").asLong()).isEqualTo(8);
			assertThat(shaky.get("failed").asLong()).isEqualTo(8);
			assertThat(shaky.get("blocked").asLong()).isEqualTo(4);
			assertThat(shaky.get("open").asLong()).isEqualTo(1);
			assertThat(shaky.get("success_rate").asDouble()).isEqualTo(0.38);
			assertThat(shaky.get("resolved_success_rate").asDouble()).isEqualTo(0.4);
			assertThat(shaky.get("tokens").asLong()).isEqualTo(20 * 500);
			assertThat(shaky.get("tokens_per_completed_spawn").asDouble()).isEqualTo(1250.0);
			assertThat(shaky.get("tools").get("read").asLong()).isEqualTo(20 * 2);
		}

		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			JsonNode caste = api.get("/stats/castes/builder").json();
			assertThat(caste.get("models").get(0).get("tokens").asLong()).isEqualTo(20 * 500);
			assertThat(caste.get("models").get(0).get("durations").get("blocked").get("count").asLong()).isEqualTo(4);
			assertThat(api.get("/recommendations?caste=builder").json().get("recommended").asString())
				.isEqualTo("steady");
		}
	}

	@Test
	void showsDurationsUsageAndClockSkewPerModel() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			Instant tenMinutesAgo = Instant.now().minus(10, ChronoUnit.MINUTES);
			record(api, "oracle", "m", 4, 0, 0, tenMinutesAgo);
			Response future = api.post("/spawns", "{\"caste\":\"oracle\",\"model\":\"m\",\"timestamp\":\""
					+ Instant.now().plus(1, ChronoUnit.HOURS) + "\"}");
			String skewed = future.json().get("spawn_id").asString();
			assertThat(api.put("/spawns/" + skewed + "/outcome", "{\"outcome\":\"failed\"}").status()).isEqualTo(200);

			JsonNode model = api.get("/stats/models/m").json();
			assertThat(model.get("clock_skew").asLong()).isEqualTo(1);
			assertThat(model.get("tokens").asLong()).isEqualTo(4 * 500);
			assertThat(model.get("tokens_per_completed_spawn").asDouble()).isEqualTo(500.0);
			JsonNode completed = model.get("durations").get("completed");
			assertThat(completed.get("count").asLong()).isEqualTo(4);
			assertThat(completed.get("p50_seconds").asDouble()).isBetween(600 / 1.415, 600 * 1.415);
			assertThat(model.get("durations").get("failed").get("p99_seconds").asDouble()).isLessThanOrEqualTo(1.0);
			JsonNode oracle = model.get("by_caste").get("oracle");
			assertThat(oracle.get("clock_skew").asLong()).isEqualTo(1);
			assertThat(oracle.get("durations").get("completed").get("count").asLong()).isEqualTo(4);
		}
	}

	@Test
	void answersNotFoundForACasteNeverSeen() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			api.recordSpawn("builder", "m", "task-based");

			for (String path : new String[] { "/recommendations?caste=healer", "/recommendations?caste=healer&days=3",
					"/stats/castes/healer" }) {
				Response response = api.get(path);
				assertThat(response.status()).as(path).isEqualTo(404);
				assertThat(response.contentType()).startsWith("application/problem+json");
				assertThat(response.json().get("detail").asString()).contains("healer");
			}
		}
	}

	@Test
	void refusesBadParameters() {
		try (RunningService service = RunningService.start(this.dataDirectory)) {
			TestApi api = service.api();
			api.recordSpawn("builder", "m", "task-based");

			for (String path : new String[] { "/recommendations", "/recommendations?caste=builder&min_resolved=0",
					"/recommendations?caste=builder&min_resolved=-1",
					"/recommendations?caste=builder&min_resolved=1000001",
					"/recommendations?caste=builder&min_resolved=ten", "/recommendations?caste=builder&days=0" }) {
				Response response = api.get(path);

				assertThat(response.status()).as(path).isEqualTo(400);
				assertThat(response.contentType()).as(path).startsWith("application/problem+json");
				assertThat(response.json().get("type").asString()).as(path)
					.isEqualTo("urn:spawn-telemetry:problem:invalid-request");
			}
		}
	}

	/** Spawns at a time, each with 500 tokens and 2 reads, then their outcomes. */
	private static void record(TestApi api, String caste, String model, int completed, int failed, int blocked,
			Instant at) {
		int total = completed + failed + blocked;
		for (int i = 0; i < total; i++) {
			Response spawn = api.post("/spawns", "{\"caste\":\"" + caste + "\",\"model\":\"" + model
					+ "\",\"timestamp\":\"" + at.plusMillis(i) + "\"}");
			assertThat(spawn.status()).isEqualTo(201);
			String outcome = (i < completed) ? "completed" : (i < completed + failed) ? "failed" : "blocked";
			Response ended = api.put("/spawns/" + spawn.json().get("spawn_id").asString() + "/outcome",
					"{\"outcome\":\"" + outcome + "\",\"tokens\":500,\"tools\":{\"read\":2}}");
			assertThat(ended.status()).isEqualTo(200);
		}
	}

}
